import { CrmError } from '../errors.js';
import type { CrmHttp } from '../http/client.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import { expiresAt, requestToken } from '../http/oauth-token.js';
import type { ConnectionTarget, CrmConnection, Credentials, TokenSet } from '../types.js';
import { IdTokenClaims, parseAnswer, UserName, WhoAmI } from './schemas.js';

const NAME = 'Microsoft Dynamics 365';
const LOGIN = 'https://login.microsoftonline.com';
/** Before the tenant is known, Azure AD's multi-tenant endpoint for work accounts. */
const ANY_WORK_TENANT = 'organizations';

/** The environment URL, e.g. https://acme.crm4.dynamics.com: the Dataverse resource tokens are for. */
function instanceOf(t: ConnectionTarget): string {
  const url = t.instanceUrl ?? t.baseUrl;
  if (!url) throw new CrmError('invalid', 'Microsoft Dynamics 365 needs the environment URL (https://<org>.crm.dynamics.com); enter it on the connection page.');
  return url.replace(/\/+$/, '');
}

/** The tenant's Azure AD endpoints: login.microsoftonline.com, or the sandbox's `<base>/login`. */
function tenantEndpoint(t: ConnectionTarget, tenant: string): string {
  return `${t.baseUrl ? `${t.baseUrl}/login` : LOGIN}/${encodeURIComponent(tenant)}/oauth2/v2.0`;
}

/**
 * The tenant id (`tid`) in an Azure AD id_token. Only read, not verified: it came straight from
 * the token endpoint over TLS, and it only chooses which of Azure AD's endpoints we call next.
 */
function tenantOf(idToken: unknown): string | undefined {
  if (typeof idToken !== 'string') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return IdTokenClaims.safeParse(claims).data?.tid;
  } catch {
    return undefined;
  }
}

function bearer(c: Credentials): string {
  if (c.method === 'oauth') return c.accessToken;
  if (c.method === 'service' && c.accessToken) return c.accessToken;
  if (c.method === 'service') throw new CrmError('auth', 'Microsoft Dynamics 365 has no access token for the service connection yet; test the connection to get one.');
  throw new CrmError('auth', 'Microsoft Dynamics 365 has no API-key method; connect with OAuth or an application registration (client id and secret).');
}

/** Client credentials for an application user: the scope must be the environment's `/.default`. */
async function serviceToken({ http, target, clientId, clientSecret }: { http: CrmHttp; target: ConnectionTarget; clientId: string; clientSecret: string }): Promise<TokenSet> {
  if (!target.tenantId) throw new CrmError('invalid', 'Microsoft Dynamics 365 needs the tenant id (directory id) for a service connection.');
  const body = await requestToken(http, {
    crmName: NAME,
    tokenUrl: `${tenantEndpoint(target, target.tenantId)}/token`,
    clientAuth: 'body',
    clientId,
    clientSecret,
    params: { grant_type: 'client_credentials', scope: `${instanceOf(target)}/.default` },
  });
  return { accessToken: String(body.access_token), expiresAt: expiresAt(body.expires_in, Date.now()) };
}

/**
 * Dynamics 365 (Dataverse): Azure AD v2 OAuth with the environment as the resource (refresh
 * tokens rotate: every refresh answer carries a new one to store), or client credentials for an
 * application user.
 */
export const dynamicsConnection: CrmConnection = {
  id: 'dynamics',
  methods: ['oauth', 'service'],
  apiKeyFields: [],
  serviceFields: [
    {
      name: 'clientId',
      label: 'Application (client) id',
      help: 'In the Azure portal: Microsoft Entra ID > App registrations > your app > Overview > Application (client) ID. Add the app as an application user with a security role in the Power Platform admin center.',
      secret: false,
      required: true,
    },
    {
      name: 'clientSecret',
      label: 'Client secret',
      help: 'In the same app registration: Certificates & secrets > New client secret; copy the Value (not the Secret ID) when it is shown.',
      secret: true,
      required: true,
    },
  ],
  targetFields: [
    {
      name: 'instanceUrl',
      label: 'Environment URL',
      help: 'In the Power Platform admin center: Environments > your environment > Environment URL, e.g. https://acme.crm4.dynamics.com.',
      secret: false,
      required: true,
    },
    {
      name: 'tenantId',
      label: 'Tenant id',
      help: 'In the Azure portal: Microsoft Entra ID > Overview > Tenant ID (a GUID), also shown on the app registration as Directory (tenant) ID.',
      secret: false,
      required: true,
    },
  ],
  oauth: {
    // For display only: the real scope names the environment, so endpoints(target).scopes carries it.
    scopes: ['<environment URL>/user_impersonation', 'offline_access'],
    clientAuth: 'body',
    endpoints: (t) => ({
      authorizeUrl: `${tenantEndpoint(t, t.tenantId ?? ANY_WORK_TENANT)}/authorize`,
      tokenUrl: `${tenantEndpoint(t, t.tenantId ?? ANY_WORK_TENANT)}/token`,
      // The resource is the environment itself; offline_access brings the refresh token, and
      // without a tenant id openid brings the id_token that names the user's tenant.
      scopes: [`${instanceOf(t)}/user_impersonation`, 'offline_access', ...(t.tenantId ? [] : ['openid'])],
    }),
    // Azure AD has no endpoint to revoke one refresh token of a confidential client (only Graph's
    // revokeSignInSessions, which signs the user out everywhere and needs a directory permission).
    revocation: { none: "Azure AD offers no revocation; remove the app's consent in Entra ID to cut access." },
    readTokenResponse: (body, now) => {
      const tenantId = tenantOf(body.id_token);
      return {
        tokens: {
          accessToken: String(body.access_token),
          refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
          expiresAt: expiresAt(body.expires_in, now),
        },
        // Signed in through /organizations: keep the tenant, so refreshes go to its own endpoint.
        ...(tenantId ? { target: { tenantId } } : {}),
      };
    },
  },
  instanceHosts: [/\.dynamics\.com$/i],
  apiBase: (t) => `${instanceOf(t)}/api/data/v9.2`,
  serviceToken,
  authHeaders: (c) => ({ authorization: `Bearer ${bearer(c)}`, 'odata-version': '4.0', 'odata-maxversion': '4.0' }),

  async check({ http, target, credentials }) {
    let creds = credentials;
    if (creds.method === 'service' && !creds.accessToken) {
      const token = await serviceToken({ http, target, clientId: creds.clientId, clientSecret: creds.clientSecret });
      creds = { ...creds, accessToken: token.accessToken };
    }
    const headers = this.authHeaders(creds, target);
    const res = await http({ url: `${this.apiBase(target)}/WhoAmI()`, headers });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'error.message'), pickMessage(res.body, 'error.code'));
    const who = parseAnswer(WhoAmI, res.body, 'WhoAmI()');
    const host = new URL(instanceOf(target)).host;
    const user = await http({ url: `${this.apiBase(target)}/systemusers(${who.UserId})`, query: { $select: 'fullname,internalemailaddress' }, headers });
    // Only shown: a user we cannot read leaves the account named by its id.
    const u = user.status === 200 ? UserName.safeParse(user.body).data : undefined;
    const as = u?.internalemailaddress || u?.fullname || undefined;
    return { account: `${as ?? `user ${who.UserId}`} @ ${host} (organization ${who.OrganizationId})` };
  },
};

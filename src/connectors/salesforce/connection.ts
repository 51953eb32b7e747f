import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import { requestToken } from '../http/oauth-token.js';
import type { CrmHttp } from '../http/client.js';
import type { ConnectionTarget, CrmConnection, Credentials, TokenSet } from '../types.js';

const NAME = 'Salesforce';
const LOGIN = 'https://login.salesforce.com';
const API_VERSION = 'v60.0';

/** /services/oauth2/userinfo, only shown: what cannot be read leaves the account named by its host. */
const UserInfo = z.looseObject({
  preferred_username: z.string().optional().catch(undefined),
  email: z.string().optional().catch(undefined),
  organization_id: z.string().optional().catch(undefined),
});

/** Where API calls and the client credentials flow go: the org's My Domain URL. */
function instanceOf(t: ConnectionTarget): string {
  const url = t.instanceUrl ?? t.baseUrl;
  if (!url) throw new CrmError('invalid', 'Salesforce needs the instance URL (https://<your domain>.my.salesforce.com); reconnect Salesforce or enter it.');
  return url.replace(/\/+$/, '');
}

function bearer(c: Credentials): string {
  if (c.method === 'oauth') return c.accessToken;
  if (c.method === 'service' && c.accessToken) return c.accessToken;
  if (c.method === 'service') throw new CrmError('auth', 'Salesforce has no access token for the service connection yet; test the connection to get one.');
  throw new CrmError('auth', 'Salesforce has no API-key method; connect with OAuth or the client credentials of a connected app.');
}

/** The client credentials flow, served only on the org's own domain, not on login.salesforce.com. */
async function serviceToken({ http, target, clientId, clientSecret }: { http: CrmHttp; target: ConnectionTarget; clientId: string; clientSecret: string }): Promise<TokenSet> {
  const body = await requestToken(http, {
    crmName: NAME,
    tokenUrl: `${instanceOf(target)}/services/oauth2/token`,
    clientAuth: 'body',
    clientId,
    clientSecret,
    params: { grant_type: 'client_credentials' },
  });
  return { accessToken: String(body.access_token) };
}

/**
 * Salesforce: OAuth 2 web server flow (sessions last the org's timeout, two hours by default, and
 * the token response does not say when; refresh tokens are not rotated) or the client credentials
 * flow of a connected app with a Run As user.
 */
export const salesforceConnection: CrmConnection = {
  id: 'salesforce',
  methods: ['oauth', 'service'],
  apiKeyFields: [],
  serviceFields: [
    {
      name: 'clientId',
      label: 'Consumer key',
      help: 'In Salesforce Setup: App Manager > your connected app (or External Client App) > View > Manage Consumer Details > Consumer Key. Enable the client credentials flow on the app and choose a Run As user.',
      secret: false,
      required: true,
    },
    {
      name: 'clientSecret',
      label: 'Consumer secret',
      help: 'Shown next to the consumer key under Manage Consumer Details of the same connected app (Salesforce asks for a verification code first).',
      secret: true,
      required: true,
    },
  ],
  targetFields: [
    {
      name: 'instanceUrl',
      label: 'Instance URL',
      help: 'Your My Domain URL, e.g. https://acme.my.salesforce.com: in Salesforce Setup, search "My Domain" and copy "Current My Domain URL".',
      secret: false,
      required: true,
    },
  ],
  oauth: {
    // `id` lets check read the identity of the connected user (userinfo); `api` is the REST API.
    scopes: ['api', 'refresh_token', 'id'],
    clientAuth: 'body',
    endpoints: (t) => ({
      authorizeUrl: `${t.baseUrl ?? LOGIN}/services/oauth2/authorize`,
      tokenUrl: `${t.baseUrl ?? LOGIN}/services/oauth2/token`,
      revokeUrl: `${t.baseUrl ?? LOGIN}/services/oauth2/revoke`,
    }),
    // Revoking the refresh token revokes the access tokens issued with it.
    revocation: { style: 'form' },
    readTokenResponse: (body) => ({
      // Salesforce sends no expires_in: crm-sync refreshes on the first 401.
      tokens: {
        accessToken: String(body.access_token),
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      },
      target: typeof body.instance_url === 'string' ? { instanceUrl: body.instance_url } : undefined,
    }),
  },
  instanceHosts: [/\.my\.salesforce\.com$/i, /\.salesforce\.com$/i, /\.force\.com$/i],
  apiBase: instanceOf,

  serviceToken,
  authHeaders: (c) => ({ authorization: `Bearer ${bearer(c)}` }),

  async check({ http, target, credentials }) {
    let creds = credentials;
    if (creds.method === 'service' && !creds.accessToken) {
      const token = await serviceToken({ http, target, clientId: creds.clientId, clientSecret: creds.clientSecret });
      creds = { ...creds, accessToken: token.accessToken };
    }
    const base = this.apiBase(target);
    const headers = this.authHeaders(creds, target);
    const res = await http({ url: `${base}/services/data/${API_VERSION}/limits`, headers });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'message'), pickMessage(res.body, 'errorCode'));
    const host = new URL(base).host;
    // userinfo needs the `id` (or openid) scope; the org is reachable without it, so it only adds the name.
    const info = await http({ url: `${base}/services/oauth2/userinfo`, headers });
    const b = info.status === 200 ? UserInfo.safeParse(info.body).data : undefined;
    if (b?.organization_id) return { account: `${b.preferred_username ?? b.email ?? 'user'} @ ${host} (org ${b.organization_id})` };
    return { account: `Salesforce org at ${host}` };
  },
};

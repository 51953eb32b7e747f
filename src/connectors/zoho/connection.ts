import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import { expiresAt } from '../http/oauth-token.js';
import type { ConnectionTarget, CrmConnection, Credentials } from '../types.js';

const NAME = 'Zoho CRM';

/** Zoho's data centres: each has its own accounts server and API domain, and a token works only in its own. */
const DATA_CENTRES: Record<string, { accounts: string; api: string; where: string }> = {
  us: { accounts: 'accounts.zoho.com', api: 'www.zohoapis.com', where: 'United States' },
  eu: { accounts: 'accounts.zoho.eu', api: 'www.zohoapis.eu', where: 'Europe' },
  in: { accounts: 'accounts.zoho.in', api: 'www.zohoapis.in', where: 'India' },
  au: { accounts: 'accounts.zoho.com.au', api: 'www.zohoapis.com.au', where: 'Australia' },
  jp: { accounts: 'accounts.zoho.jp', api: 'www.zohoapis.jp', where: 'Japan' },
  ca: { accounts: 'accounts.zohocloud.ca', api: 'www.zohoapis.ca', where: 'Canada' },
  cn: { accounts: 'accounts.zoho.com.cn', api: 'www.zohoapis.com.cn', where: 'China' },
  sa: { accounts: 'accounts.zoho.sa', api: 'www.zohoapis.sa', where: 'Saudi Arabia' },
};
const DEFAULT_DC = 'us';

function dataCentre(t: ConnectionTarget): string {
  const dc = (t.region ?? DEFAULT_DC).toLowerCase();
  if (!DATA_CENTRES[dc]) throw new CrmError('invalid', `Zoho CRM has no data centre "${t.region}"; choose one of ${Object.keys(DATA_CENTRES).join(', ')}.`);
  return dc;
}

/** The accounts server: the vendor's host, or under the sandbox `<base>/accounts/<dc>`. */
function accountsServer(t: ConnectionTarget): string {
  const dc = dataCentre(t);
  return t.baseUrl ? `${t.baseUrl}/accounts/${dc}` : `https://${DATA_CENTRES[dc]!.accounts}`;
}

function token(c: Credentials): string {
  if (c.method === 'oauth') return c.accessToken;
  throw new CrmError('auth', 'Zoho CRM connects only with OAuth; reconnect Zoho CRM from the connection page.');
}

/** Zoho CRM: OAuth 2 only (one-hour tokens, refresh tokens not rotated), one data centre per account. */
export const zohoConnection: CrmConnection = {
  id: 'zoho',
  methods: ['oauth'],
  apiKeyFields: [],
  serviceFields: [],
  targetFields: [
    {
      name: 'region',
      label: 'Data centre',
      help: 'Where your Zoho account lives, as the address bar shows when you use Zoho CRM: crm.zoho.com = us (the default), crm.zoho.eu = eu, .in = in, .com.au = au, .jp = jp, crm.zohocloud.ca = ca, .com.cn = cn, .sa = sa.',
      secret: false,
      required: false,
    },
  ],
  oauth: {
    scopes: [
      'ZohoCRM.modules.ALL',
      'ZohoCRM.settings.ALL',
      'ZohoCRM.users.READ',
      'ZohoCRM.org.READ',
      'ZohoCRM.coql.READ',
      'ZohoCRM.notifications.ALL',
    ],
    scopeSeparator: ',',
    clientAuth: 'body',
    endpoints: (t) => ({
      authorizeUrl: `${accountsServer(t)}/oauth/v2/auth`,
      tokenUrl: `${accountsServer(t)}/oauth/v2/token`,
      revokeUrl: `${accountsServer(t)}/oauth/v2/token/revoke`,
      // Without both, Zoho gives no refresh token, or none on a second consent.
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
    }),
    // Zoho takes the token in the query string, at the accounts server of its data centre.
    revocation: { style: 'query' },
    readTokenResponse: (body, now) => ({
      tokens: {
        accessToken: String(body.access_token),
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
        expiresAt: expiresAt(body.expires_in, now),
      },
      target: typeof body.api_domain === 'string' ? { apiUrl: body.api_domain } : undefined,
    }),
  },
  instanceHosts: Object.values(DATA_CENTRES).map((d) => new RegExp(`^${d.api.replace(/\./g, '\\.')}$`, 'i')),
  apiBase: (t) => {
    if (t.apiUrl) return t.apiUrl.replace(/\/+$/, '');
    const dc = dataCentre(t);
    // The sandbox serves the US API at its root and the others under /<dc>, as its api_domain says.
    if (t.baseUrl) return dc === DEFAULT_DC ? t.baseUrl : `${t.baseUrl}/${dc}`;
    return `https://${DATA_CENTRES[dc]!.api}`;
  },
  authHeaders: (c) => ({ authorization: `Zoho-oauthtoken ${token(c)}` }),

  async check({ http, target, credentials }) {
    const res = await http({ url: `${this.apiBase(target)}/crm/v8/org`, headers: this.authHeaders(credentials, target) });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'message'), pickMessage(res.body, 'code'));
    const org = (res.body as { org?: { id?: string; company_name?: string; primary_email?: string }[] }).org?.[0] ?? {};
    const where = target.region ? `, ${dataCentre(target)} data centre` : '';
    return { account: `${org.company_name ?? 'Zoho CRM organization'} (org ${org.id ?? '?'}${where})` };
  },
};

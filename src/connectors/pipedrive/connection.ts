import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import { expiresAt } from '../http/oauth-token.js';
import type { CrmConnection, Credentials } from '../types.js';
import { Me } from './schemas.js';

const NAME = 'Pipedrive';
/** Personal API tokens work on the shared host; OAuth tokens on the company domain the token response names. */
const API = 'https://api.pipedrive.com';
const OAUTH = 'https://oauth.pipedrive.com';

function authHeader(c: Credentials): Record<string, string> {
  if (c.method === 'oauth') return { authorization: `Bearer ${c.accessToken}` };
  if (c.method === 'api_key') return { 'x-api-token': c.apiKey };
  throw new CrmError('auth', 'Pipedrive has no service-to-service method; connect with OAuth or a personal API token.');
}

/** Pipedrive: OAuth 2 (one-hour tokens, refresh tokens not rotated, Basic client auth) or a personal API token. */
export const pipedriveConnection: CrmConnection = {
  id: 'pipedrive',
  methods: ['oauth', 'api_key'],
  apiKeyFields: [
    {
      name: 'apiKey',
      label: 'Personal API token',
      help: 'In Pipedrive: your profile picture (top right) > Personal preferences > API > "Your personal API token". The token acts as that user.',
      secret: true,
      required: true,
    },
  ],
  serviceFields: [],
  targetFields: [],
  oauth: {
    // `admin` covers custom fields and webhooks, which crm-sync creates.
    scopes: ['base', 'deals:full', 'contacts:full', 'activities:full', 'users:read', 'search:read', 'admin'],
    clientAuth: 'basic',
    endpoints: (t) => ({
      authorizeUrl: `${t.baseUrl ?? OAUTH}/oauth/authorize`,
      tokenUrl: `${t.baseUrl ?? OAUTH}/oauth/token`,
      revokeUrl: `${t.baseUrl ?? OAUTH}/oauth/revoke`,
    }),
    revocation: { style: 'form' },
    readTokenResponse: (body, now) => ({
      tokens: {
        accessToken: String(body.access_token),
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
        expiresAt: expiresAt(body.expires_in, now),
      },
      // e.g. https://acme.pipedrive.com: OAuth calls must go to the company's own domain.
      target: typeof body.api_domain === 'string' ? { apiUrl: body.api_domain } : undefined,
    }),
  },
  instanceHosts: [/\.pipedrive\.com$/i],
  apiBase: (t) => (t.apiUrl ?? t.baseUrl ?? API).replace(/\/+$/, ''),
  authHeaders: (c) => authHeader(c),

  async check({ http, target, credentials }) {
    const res = await http({ url: `${this.apiBase(target)}/api/v1/users/me`, headers: this.authHeaders(credentials, target) });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'error'), pickMessage(res.body, 'errorCode'));
    // Only shown: what cannot be read leaves the account named in general words.
    const me = Me.safeParse(res.body).data?.data ?? {};
    const company = me.company_domain ? `${me.company_name ?? me.company_domain} (${me.company_domain}.pipedrive.com)` : (me.company_name ?? 'the company');
    return { account: `${me.email ?? me.name ?? 'user'} @ ${company}` };
  },
};

import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import { expiresAt } from '../http/oauth-token.js';
import type { CrmConnection, Credentials } from '../types.js';

const NAME = 'HubSpot';
const API = 'https://api.hubapi.com';
const APP = 'https://app.hubspot.com';

function bearer(c: Credentials): string {
  if (c.method === 'oauth') return c.accessToken;
  if (c.method === 'api_key') return c.apiKey;
  throw new CrmError('auth', 'HubSpot has no service-to-service method; connect with OAuth or a private app token.');
}

/** HubSpot: OAuth 2 (30-minute tokens, refresh tokens not rotated) or a private app token. */
export const hubspotConnection: CrmConnection = {
  id: 'hubspot',
  methods: ['oauth', 'api_key'],
  apiKeyFields: [
    {
      name: 'apiKey',
      label: 'Private app access token',
      help: 'In HubSpot: Settings > Integrations > Private Apps > your app > Auth > Access token (starts with pat-).',
      secret: true,
      required: true,
    },
  ],
  serviceFields: [],
  targetFields: [],
  oauth: {
    scopes: [
      'oauth',
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.companies.read',
      'crm.objects.companies.write',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
      'crm.objects.owners.read',
      'crm.schemas.contacts.read',
      // Outbound sync creates its idempotency-key properties (crm_sync_client_id, crm_sync_key).
      'crm.schemas.contacts.write',
    ],
    clientAuth: 'body',
    endpoints: (t) => ({
      authorizeUrl: `${t.baseUrl ?? APP}/oauth/authorize`,
      tokenUrl: `${t.baseUrl ?? API}/oauth/v1/token`,
      revokeUrl: `${t.baseUrl ?? API}/oauth/v1/refresh-tokens`,
    }),
    revocation: { style: 'path' },
    readTokenResponse: (body, now) => ({
      tokens: {
        accessToken: String(body.access_token),
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
        expiresAt: expiresAt(body.expires_in, now),
      },
    }),
  },
  instanceHosts: [],
  apiBase: (t) => t.baseUrl ?? API,
  authHeaders: (c) => ({ authorization: `Bearer ${bearer(c)}` }),

  async check({ http, target, credentials }) {
    const res = await http({ url: `${this.apiBase(target)}/crm/v3/owners`, query: { limit: 1 }, headers: this.authHeaders(credentials, target) });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'message'), pickMessage(res.body, 'category'));
    if (credentials.method === 'oauth') {
      const info = await http({ url: `${this.apiBase(target)}/oauth/v1/access-tokens/${encodeURIComponent(credentials.accessToken)}` });
      const b = info.body as { hub_id?: number; hub_domain?: string; user?: string };
      if (info.status === 200 && b.hub_id) return { account: `${b.hub_domain ?? 'portal'} (hub ${b.hub_id}), as ${b.user ?? 'the connecting user'}` };
    }
    return { account: 'HubSpot account reachable with the private app token' };
  },
};

import { OAuthServer } from '../kit/oauth.js';
import type { SandboxCrmFactory } from '../kit/crm.js';
import { WebhookHub } from '../kit/webhooks.js';
import { RefreshLedger } from './auth/tokens.js';
import { codeForStatus } from './errors.js';
import { ACCESS_TOKEN_TTL_SECONDS, API_VERSION, APP, ORGANIZATION_ID, ORGANIZATION_NAME, SEED_USERS, TENANT_ID } from './facts.js';
import { ServiceProtection } from './limits.js';
import { dynamicsRoutes } from './routes.js';
import { seedEnvironment } from './seed.js';
import { RecordStore } from './store.js';
import { signDelivery } from './webhooks.js';

/**
 * A fake Microsoft Dataverse environment (Dynamics 365) with its Azure AD tenant:
 * the Web API at `/api/data/v9.2/`, OAuth 2 at `/login/<tenant>/oauth2/v2.0/`, service
 * protection limits and webhooks registered as service endpoints.
 */
export const createDynamicsSandbox: SandboxCrmFactory = (ctx) => {
  const store = new RecordStore();
  const oauth = new OAuthServer({ accessTokenTtlMs: ACCESS_TOKEN_TTL_SECONDS * 1000, rotateRefreshTokens: true, tokenPrefix: 'aad-' });
  const ledger = new RefreshLedger();
  const protection = new ServiceProtection();
  const hub = new WebhookHub(signDelivery);

  const seed = () => {
    store.clear();
    seedEnvironment(store);
    oauth.registerApp({ ...APP });
    ledger.reset();
    protection.reset();
  };
  seed();

  return {
    id: 'dynamics',
    routes: dynamicsRoutes({ store, oauth, ledger, protection, hub, ctx }),
    account(baseUrl) {
      const login = `${baseUrl}/login/${TENANT_ID}/oauth2/v2.0`;
      return {
        apiBaseUrl: `${baseUrl}/api/data/${API_VERSION}`,
        /** The Global Discovery Service (globaldisco.crm.dynamics.com for the real one): GET Instances. */
        discoveryUrl: `${baseUrl}/api/discovery/v2.0`,
        auth: ['oauth', 'service'],
        instanceUrl: baseUrl,
        /** dynamics-web-api's `serverUrl` must end with a slash: it resolves `api/data/v9.2/` against it. */
        serverUrl: `${baseUrl}/`,
        oauth: {
          authorizeUrl: `${login}/authorize`,
          tokenUrl: `${login}/token`,
          clientId: APP.clientId,
          clientSecret: APP.clientSecret,
          scopes: [`${baseUrl}/user_impersonation`, 'offline_access', 'openid'],
        },
        credentials: {
          tenantId: TENANT_ID,
          clientId: APP.clientId,
          clientSecret: APP.clientSecret,
          /** client_credentials acts as the application user; the scope is the instance URL + /.default */
          scope: `${baseUrl}/.default`,
          organizationId: ORGANIZATION_ID,
          organizationName: ORGANIZATION_NAME,
        },
        users: SEED_USERS.filter((u) => !u.applicationId).map((u) => ({ id: u.id, email: u.email, name: `${u.firstName} ${u.lastName}` })),
        applicationUser: SEED_USERS.filter((u) => u.applicationId).map((u) => ({ id: u.id, applicationId: u.applicationId }))[0],
      };
    },
    dump: () => store.dump(),
    reset: seed,
    failure: (status, message) => ({ error: { code: codeForStatus(status), message } }),
    oauth,
    webhooks: hub,
    isWrite,
  };
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A `$batch` whose requests are all GETs only reads, like a GET; anything else by its method. */
function isWrite(req: { method: string; url: string; body: unknown }): boolean {
  if (!WRITES.has(req.method)) return false;
  if (req.method !== 'POST' || !/\/\$batch(\?|$)/.test(req.url) || typeof req.body !== 'string') return true;
  const requestLines = req.body.match(/^[A-Z]+ \S+ HTTP\/\d(\.\d)?\s*$/gm) ?? [];
  return requestLines.length === 0 || requestLines.some((l) => !l.startsWith('GET '));
}

import type { SandboxCrmFactory } from '../kit/crm.js';
import { OAuthServer } from '../kit/oauth.js';
import { RateWindow } from '../kit/rate-window.js';
import { WebhookHub } from '../kit/webhooks.js';
import { registerAccounts } from './accounts.js';
import { registerApi } from './api.js';
import type { ZohoDeps } from './context.js';
import { accountsServer, apiDomain, DATA_CENTRES, DEFAULT_DC } from './data-centres.js';
import { failureFor } from './errors.js';
import { ZohoLimits } from './limits.js';
import { ZOHO_SIGNER, ZohoNotifications } from './notifications.js';
import { ACCESS_TOKEN_TTL_S, ALL_SCOPES, CLIENT_ID, CLIENT_SECRET, SEEDED_REFRESH_TOKEN } from './seed.js';
import { fullName, USERS, ZohoStore } from './state.js';
import { answerTrailingSlash } from '../kit/trailing-slash.js';

/** The fake Zoho CRM v8: data centres, Zoho Accounts OAuth, records, search, COQL, metadata, notifications. */
export const createZohoSandbox: SandboxCrmFactory = (ctx) => {
  const oauth = new OAuthServer({ accessTokenTtlMs: ACCESS_TOKEN_TTL_S * 1000, rotateRefreshTokens: false, tokenPrefix: '1000.' });
  const registerApp = () => oauth.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: 'crm-sync (sandbox)' });
  registerApp();
  const hub = new WebhookHub(ZOHO_SIGNER);
  const deps: ZohoDeps = {
    ctx,
    store: new ZohoStore(),
    oauth,
    hub,
    limits: new ZohoLimits(),
    notifications: new ZohoNotifications(hub),
    seededRevoked: new Set(),
    refreshBurst: new RateWindow(10, 10 * 60_000),
  };

  return {
    id: 'zoho',
    oauth,
    webhooks: hub,
    routes: async (app) => {
      answerTrailingSlash(app);
      await registerAccounts(app, deps);
      await registerApi(app, deps);
    },
    account: (baseUrl) => ({
      apiBaseUrl: `${apiDomain(baseUrl, DEFAULT_DC)}/crm/v8`,
      auth: ['oauth'],
      oauth: {
        authorizeUrl: `${accountsServer(baseUrl, DEFAULT_DC)}/oauth/v2/auth`,
        tokenUrl: `${accountsServer(baseUrl, DEFAULT_DC)}/oauth/v2/token`,
        revokeUrl: `${accountsServer(baseUrl, DEFAULT_DC)}/oauth/v2/token/revoke`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        scopes: ALL_SCOPES,
      },
      credentials: {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        refresh_token: SEEDED_REFRESH_TOKEN,
        api_domain: apiDomain(baseUrl, DEFAULT_DC),
        accounts_server: accountsServer(baseUrl, DEFAULT_DC),
        header: 'Authorization: Zoho-oauthtoken <access_token>',
      },
      dataCentres: Object.fromEntries(
        DATA_CENTRES.map((d) => [d.location, { accountsServer: accountsServer(baseUrl, d.location), apiDomain: apiDomain(baseUrl, d.location), real: { accounts: d.accountsHost, api: d.apiHost } }]),
      ),
      users: USERS.map((u) => ({ id: u.id, email: u.email, name: fullName(u) })),
    }),
    dump: () => deps.store.dump(),
    reset: () => {
      deps.store.reset();
      deps.limits.reset();
      deps.seededRevoked.clear();
      deps.refreshBurst.reset();
      registerApp();
    },
    failure: failureFor,
    // COQL and the user search read through a POST: they change nothing, so a fault of writes
    // that commit but answer late leaves them alone.
    isWrite: (req) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && !/\/crm\/v\d+\/(coql|users\/search)(\?|$)/.test(req.url),
  };
};

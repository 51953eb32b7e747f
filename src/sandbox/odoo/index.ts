import type { SandboxCrmFactory } from '../kit/crm.js';
import { odooFailure, registerJson2 } from './json2.js';
import { registerJsonRpc, registerLegacyNotFound } from './jsonrpc.js';
import { ADMIN_API_KEY, ADMIN_LOGIN, ADMIN_PASSWORD, DATABASE, LEGACY_MAJOR, LEGACY_PREFIX, USERS } from './seed.js';
import { OdooStore } from './store.js';

/**
 * The fake Odoo 19: JSON-2 and /jsonrpc over one in-memory database, and under `/odoo17` the
 * same database as an Odoo 17 server shows it (/jsonrpc only), for connectors of servers
 * before 19. Odoo has no
 * per-second rate limit of its own, so rateLimitFactor changes nothing here, and
 * it sends no webhooks for record changes, so there is no WebhookHub.
 */
export const createOdooSandbox: SandboxCrmFactory = () => {
  const store = new OdooStore();
  return {
    id: 'odoo',
    routes: async (app) => {
      await registerJson2(app, store);
      await registerJsonRpc(app, store, 19);
      await app.register(
        async (legacy) => {
          await registerJsonRpc(legacy, store, LEGACY_MAJOR);
          await registerLegacyNotFound(legacy);
        },
        { prefix: LEGACY_PREFIX },
      );
    },
    account: (baseUrl) => ({
      apiBaseUrl: `${baseUrl}/json/2`,
      jsonRpcUrl: `${baseUrl}/jsonrpc`,
      /** The server URL of the same database as Odoo 17 serves it: /jsonrpc, no JSON-2. */
      legacyServerUrl: `${baseUrl}${LEGACY_PREFIX}`,
      auth: ['api_key'],
      credentials: { url: baseUrl, database: DATABASE, login: ADMIN_LOGIN, password: ADMIN_PASSWORD, api_key: ADMIN_API_KEY, uid: 2 },
      users: USERS.map((u) => ({ id: String(u.id), email: u.email, name: u.name })),
    }),
    dump: () => store.dump(),
    reset: () => store.reset(),
    failure: odooFailure,
  };
};

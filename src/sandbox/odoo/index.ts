import type { SandboxCrmFactory } from '../kit/crm.js';
import { odooFailure, registerJson2 } from './json2.js';
import { registerJsonRpc } from './jsonrpc.js';
import { ADMIN_API_KEY, ADMIN_LOGIN, ADMIN_PASSWORD, DATABASE, USERS } from './seed.js';
import { OdooStore } from './store.js';

/**
 * The fake Odoo 19: JSON-2 and /jsonrpc over one in-memory database. Odoo has no
 * per-second rate limit of its own, so rateLimitFactor changes nothing here, and
 * it sends no webhooks for record changes, so there is no WebhookHub.
 */
export const createOdooSandbox: SandboxCrmFactory = () => {
  const store = new OdooStore();
  return {
    id: 'odoo',
    routes: async (app) => {
      await registerJson2(app, store);
      await registerJsonRpc(app, store);
    },
    account: (baseUrl) => ({
      apiBaseUrl: `${baseUrl}/json/2`,
      jsonRpcUrl: `${baseUrl}/jsonrpc`,
      auth: ['api_key'],
      credentials: { url: baseUrl, database: DATABASE, login: ADMIN_LOGIN, password: ADMIN_PASSWORD, api_key: ADMIN_API_KEY, uid: 2 },
      users: USERS.map((u) => ({ id: String(u.id), email: u.email, name: u.name })),
    }),
    dump: () => store.dump(),
    reset: () => store.reset(),
    failure: odooFailure,
  };
};

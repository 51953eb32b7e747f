import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Odoo API is not built yet. */
export const createOdooSandbox: SandboxCrmFactory = () => ({
  id: 'odoo',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

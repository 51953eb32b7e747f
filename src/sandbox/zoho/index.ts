import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Zoho API is not built yet. */
export const createZohoSandbox: SandboxCrmFactory = () => ({
  id: 'zoho',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

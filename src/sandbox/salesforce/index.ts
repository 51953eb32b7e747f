import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Salesforce API is not built yet. */
export const createSalesforceSandbox: SandboxCrmFactory = () => ({
  id: 'salesforce',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

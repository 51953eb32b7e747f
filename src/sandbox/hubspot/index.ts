import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Hubspot API is not built yet. */
export const createHubspotSandbox: SandboxCrmFactory = () => ({
  id: 'hubspot',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

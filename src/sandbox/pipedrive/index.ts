import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Pipedrive API is not built yet. */
export const createPipedriveSandbox: SandboxCrmFactory = () => ({
  id: 'pipedrive',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

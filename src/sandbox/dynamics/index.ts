import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Dynamics API is not built yet. */
export const createDynamicsSandbox: SandboxCrmFactory = () => ({
  id: 'dynamics',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

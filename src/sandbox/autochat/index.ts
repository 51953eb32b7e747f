import type { SandboxCrmFactory } from '../kit/crm.js';

/** Placeholder: the fake Autochat API is not built yet. */
export const createAutochatSandbox: SandboxCrmFactory = () => ({
  id: 'autochat',
  routes: async () => {},
  account: () => ({}),
  dump: () => ({}),
  reset: () => {},
  failure: (status, message) => ({ status, message }),
});

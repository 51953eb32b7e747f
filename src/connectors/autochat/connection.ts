import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { ConnectionTarget, CrmConnection, Credentials } from '../types.js';
import { AUTOCHAT } from './api.js';

const NAME = AUTOCHAT.name;

/** The account's own server when it has one (or the sandbox), else the hosted service. */
function serverOf(t: ConnectionTarget): string {
  return (t.instanceUrl || t.baseUrl || AUTOCHAT.hostedUrl).replace(/\/+$/, '');
}

function apiKey(c: Credentials): string {
  if (c.method === 'api_key') return c.apiKey;
  throw new CrmError('auth', 'AutoChat CRM connects only with an API key (ac_live_...).');
}

/** AutoChat CRM (docs/autochat-api.md): one bearer API key per integration. */
export const autochatConnection: CrmConnection = {
  id: 'autochat',
  methods: ['api_key'],
  apiKeyFields: [
    {
      name: 'apiKey',
      label: 'API key',
      help: 'In AutoChat CRM: Settings > API keys > Create key (name it "crm-sync"); the key starts with ac_live_ and is shown once.',
      secret: true,
      required: true,
    },
  ],
  serviceFields: [],
  targetFields: [
    {
      name: 'instanceUrl',
      label: 'Server URL',
      help: `Only for a self-hosted AutoChat CRM: its address without /api/v1, as shown in AutoChat under Settings > API keys next to the keys. Leave it empty for the hosted service (${AUTOCHAT.hostedUrl}).`,
      secret: false,
      required: false,
    },
  ],
  // A self-hosted AutoChat runs on its own domain, so any host may be an instance; https and the
  // ban on private addresses are enforced where instance URLs are validated.
  instanceHosts: [/^.*$/],
  apiBase: (t) => `${serverOf(t)}/api/v1`,
  authHeaders: (c) => ({ authorization: `Bearer ${apiKey(c)}` }),

  async check({ http, target, credentials }) {
    // The smallest authenticated list: one user.
    const res = await http({ url: `${this.apiBase(target)}/users`, query: { limit: 1 }, headers: this.authHeaders(credentials, target) });
    if (res.status !== 200) throw failureFromStatus(NAME, res, pickMessage(res.body, 'error.message'), pickMessage(res.body, 'error.code'));
    return { account: `AutoChat CRM at ${new URL(serverOf(target)).host}` };
  },
};

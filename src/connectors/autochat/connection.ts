import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { ConnectionTarget, CrmConnection, Credentials } from '../types.js';

const NAME = 'AutoChat CRM';

/** AutoChat has no shared production host: every account has its own server URL. */
function serverOf(t: ConnectionTarget): string {
  const url = t.instanceUrl ?? t.baseUrl;
  if (!url) throw new CrmError('invalid', 'AutoChat CRM needs its server URL; enter it on the connection page.');
  return url.replace(/\/+$/, '');
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
      help: 'The address of your AutoChat CRM without /api/v1, as shown in AutoChat under Settings > API keys next to the keys.',
      secret: false,
      required: true,
    },
  ],
  // Each AutoChat account runs on its own domain, so any host may be an instance; https and the
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

import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmResponse } from '../http/client.js';
import type { ConnectionTarget, CrmConnection, Credentials } from '../types.js';

const NAME = 'Odoo';

function serverOf(t: ConnectionTarget): string {
  const url = t.instanceUrl ?? t.baseUrl;
  if (!url) throw new CrmError('invalid', 'Odoo needs the server URL (e.g. https://acme.odoo.com); enter it on the connection page.');
  return url.replace(/\/+$/, '');
}

function apiKeyOf(c: Credentials): Extract<Credentials, { method: 'api_key' }> {
  if (c.method === 'api_key') return c;
  throw new CrmError('auth', 'Odoo connects only with an API key; enter the server URL, database, login and API key.');
}

/** A wrong database and an Odoo too old for JSON-2 both answer 404; an admin needs to tell them apart. */
function odooFailure(res: CrmResponse, database: string | undefined): CrmError {
  const message = pickMessage(res.body, 'message');
  if (res.status === 404 && /database/i.test(message ?? ''))
    return new CrmError('auth', `Odoo has no database "${database}" on this server ("${message}"). Check the database name in the credentials.`, { status: 404, body: res.body });
  if (res.status === 404)
    return new CrmError('invalid', 'This Odoo server does not serve the JSON-2 API (/json/2): crm-sync needs Odoo 19 or later. Check the server URL.', { status: 404, body: res.body });
  return failureFromStatus(NAME, res, message, pickMessage(res.body, 'name'));
}

/** Odoo (19 and later): the JSON-2 API with a user's API key; the database is named in a header. */
export const odooConnection: CrmConnection = {
  id: 'odoo',
  methods: ['api_key'],
  apiKeyFields: [
    {
      name: 'apiKey',
      label: 'API key',
      help: 'In Odoo: your avatar (top right) > My Profile (or Preferences) > Account Security > New API Key; it is shown once, so copy it then.',
      secret: true,
      required: true,
    },
    {
      name: 'database',
      label: 'Database',
      help: 'The database name: on odoo.com it is your subdomain (acme for acme.odoo.com); on your own server it is listed at /web/database/selector, or in Settings > Activate the developer mode > the database name shown in the top bar.',
      secret: false,
      required: true,
    },
    {
      name: 'username',
      label: 'Login',
      help: 'The login of the user who owns the API key, usually their e-mail address, as in Settings > Users & Companies > Users.',
      secret: false,
      required: true,
    },
  ],
  serviceFields: [],
  targetFields: [
    {
      name: 'instanceUrl',
      label: 'Server URL',
      help: 'The address you open Odoo at, without a path, e.g. https://acme.odoo.com or https://odoo.example.com.',
      secret: false,
      required: true,
    },
  ],
  // Odoo is self-hosted on any domain, so every host may be an instance; https and the ban on
  // private addresses are enforced where instance URLs are validated, not here.
  instanceHosts: [/^.*$/],
  apiBase: serverOf,
  authHeaders: (c) => {
    const key = apiKeyOf(c);
    return { authorization: `bearer ${key.apiKey}`, ...(key.database ? { 'x-odoo-database': key.database } : {}) };
  },

  async check({ http, target, credentials }) {
    const { username, database } = apiKeyOf(credentials);
    const res = await http({
      method: 'POST',
      url: `${this.apiBase(target)}/json/2/res.users/search_read`,
      headers: this.authHeaders(credentials, target),
      body: { domain: username ? [['login', '=', username]] : [], fields: ['name', 'login'], limit: 1 },
    });
    if (res.status !== 200) throw odooFailure(res, database);
    const user = (res.body as { name?: string; login?: string }[])[0];
    if (!user) throw new CrmError('auth', `Odoo accepted the API key but has no active user with the login "${username}" in database "${database}". Check the login and the credentials.`);
    return { account: `${user.login ?? user.name} @ ${new URL(this.apiBase(target)).host} (database ${database ?? 'default'})` };
  },
};

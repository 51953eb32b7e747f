import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmHttp, CrmResponse } from '../http/client.js';
import type { CheckResult, ConnectionTarget, CrmConnection, Credentials } from '../types.js';
import { protocolOf } from './api.js';
import { ODOO } from './facts.js';
import { callJsonRpc, executeKw, jsonRpcRequest, withCredentials } from './jsonrpc.js';
import { AuthenticateAnswer, parseAnswer, UsersAnswer, VersionAnswer } from './schemas.js';

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

/** A wrong database and an Odoo without JSON-2 both answer 404 there; an admin needs to tell them apart. */
const databaseComplaint = (res: CrmResponse) => res.status === 404 && /database/i.test(pickMessage(res.body, 'message') ?? '');

function odooFailure(res: CrmResponse, database: string | undefined, api: OdooApiChoice): CrmError {
  const message = pickMessage(res.body, 'message');
  if (databaseComplaint(res))
    return new CrmError('auth', `Odoo has no database "${database}" on this server ("${message}"). Check the database name in the credentials.`, { status: 404, body: res.body });
  if (res.status === 404 && api === 'json2')
    return new CrmError('invalid', `This Odoo server does not serve the JSON-2 API (/json/2), which came with Odoo ${ODOO.json2Since}. For an earlier Odoo choose the API "jsonrpc" (or "auto"); otherwise check the server URL.`, { status: 404, body: res.body });
  if (res.status === 404)
    return new CrmError('invalid', `This server answers neither Odoo's JSON-2 API (/json/2, Odoo ${ODOO.json2Since} and later) nor its /jsonrpc API (earlier versions). Check the server URL.`, { status: 404, body: res.body });
  return failureFromStatus(NAME, res, message, pickMessage(res.body, 'name'));
}

type OdooApiChoice = NonNullable<ConnectionTarget['api']>;
type ApiKey = Extract<Credentials, { method: 'api_key' }>;
const accountOf = (login: string, server: string, database: string | undefined) => `${login} @ ${new URL(server).host} (database ${database ?? 'default'})`;

/** `common.version` over /jsonrpc (no login needed), or undefined when the server does not answer it as Odoo does. */
async function versionOf(http: CrmHttp, server: string): Promise<{ major: number; serie: string } | undefined> {
  try {
    const v = await callJsonRpc(http, jsonRpcRequest(server, 'common', 'version', []), VersionAnswer, 'common.version');
    const major = v?.server_version_info?.[0];
    return typeof major === 'number' ? { major, serie: v.server_serie ?? `${major}.0` } : undefined;
  } catch (err) {
    if (err instanceof CrmError && (err.kind === 'not_found' || err.kind === 'unavailable' || err.kind === 'invalid')) return undefined;
    throw err;
  }
}

/** Before 19: `common.authenticate` gives the uid execute_kw needs, then one execute_kw proves the key works for the object service too. */
async function checkJsonRpc(http: CrmHttp, server: string, key: ApiKey, found?: { serie: string }): Promise<CheckResult> {
  const { database, username, apiKey } = key;
  if (!database) throw new CrmError('auth', 'Odoo before version 19 (/jsonrpc) needs the database name; enter it in the credentials.');
  const version = found ?? (await versionOf(http, server));
  if (!version) throw new CrmError('invalid', "This server does not answer Odoo's /jsonrpc API (common.version). Check the server URL.");
  const uid = await callJsonRpc(http, jsonRpcRequest(server, 'common', 'authenticate', [database, username, apiKey, {}]), AuthenticateAnswer, 'the login', database);
  if (typeof uid !== 'number')
    throw new CrmError('auth', `Odoo ${version.serie} refused the login "${username}" with this API key in database "${database}" (common.authenticate answered false). Check the login and the API key.`);
  const read = withCredentials(executeKw(server, uid, 'res.users', 'read', { ids: [uid], fields: ['name', 'login'] }, true), database, apiKey);
  const [user] = await callJsonRpc(http, read, UsersAnswer, 'res.users.read', database);
  return { account: accountOf(user?.login ?? username ?? String(uid), server, database), target: { odoo: { protocol: 'jsonrpc', uid, version: version.serie } } };
}

/**
 * Odoo with a user's API key: the JSON-2 API (19 and later; the database named in a header), or
 * for earlier servers /jsonrpc's execute_kw (database, uid and key in each call's arguments).
 * Which one is found at connect (or chosen by the admin) and kept in the target with the uid.
 */
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
    {
      name: 'api',
      label: 'API',
      help: 'auto (the default) finds it: json2 is the JSON-2 API of Odoo 19 and later, jsonrpc the older /jsonrpc API of earlier versions (Settings > About shows the version).',
      secret: false,
      required: false,
    },
  ],
  // Odoo is self-hosted on any domain, so every host may be an instance; https and the ban on
  // private addresses are enforced where instance URLs are validated, not here.
  instanceHosts: [/^.*$/],
  apiBase: serverOf,
  // Before 19 the key travels in execute_kw's arguments (authRequest), not in a header.
  authHeaders: (c, target) => {
    const key = apiKeyOf(c);
    if (protocolOf(target) === 'jsonrpc') return {};
    return { authorization: `bearer ${key.apiKey}`, ...(key.database ? { 'x-odoo-database': key.database } : {}) };
  },
  authRequest: (c, target, req) => {
    const key = apiKeyOf(c);
    return protocolOf(target) === 'jsonrpc' ? withCredentials(req, key.database ?? '', key.apiKey) : req;
  },

  /** JSON-2 first (unless the admin chose /jsonrpc); a 404 there that is not about the database means an Odoo before 19. */
  async check({ http, target, credentials }) {
    const key = apiKeyOf(credentials);
    const server = serverOf(target);
    const api: OdooApiChoice = target.api ?? 'auto';
    if (api === 'jsonrpc') return checkJsonRpc(http, server, key);
    const { username, database } = key;
    const res = await http({
      method: 'POST',
      url: `${server}/json/2/res.users/search_read`,
      headers: { authorization: `bearer ${key.apiKey}`, ...(database ? { 'x-odoo-database': database } : {}) },
      body: { domain: username ? [['login', '=', username]] : [], fields: ['name', 'login'], limit: 1 },
    });
    if (res.status === 404 && api === 'auto' && !databaseComplaint(res)) {
      const version = await versionOf(http, server);
      if (version) return checkJsonRpc(http, server, key, version);
    }
    if (res.status !== 200) throw odooFailure(res, database, api);
    const [user] = parseAnswer(UsersAnswer, res.body, 'res.users.search_read');
    if (!user || typeof user.id !== 'number') throw new CrmError('auth', `Odoo accepted the API key but has no active user with the login "${username}" in database "${database}". Check the login and the credentials.`);
    return { account: accountOf(user.login ?? user.name ?? String(user.id), server, database), target: { odoo: { protocol: 'json2', uid: user.id } } };
  },
};

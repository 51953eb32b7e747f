import type { FastifyInstance } from 'fastify';
import { accessDenied, asOdooException, OdooException, userError } from './errors.js';
import { API_KEYS } from './json2.js';
import { callMethod, SIGNATURES } from './orm.js';
import { findModel } from './models.js';
import { ADMIN_PASSWORD, DATABASE, serverVersion } from './seed.js';
import type { OdooStore } from './store.js';

/**
 * The older external API (the only one before Odoo 19, deprecated in 19): `POST /jsonrpc`
 * with services `common` (version, login, authenticate) and `object` (execute_kw, execute).
 * Always HTTP 200; failures are JSON-RPC errors `{code:200, message:"Odoo Server Error", data}`.
 * Arguments land as Odoo's `call_kw` puts them: a record method's ids are the first positional
 * argument, `create` reads its values from the first positional argument (a dict gives one id,
 * a list a list), and keyword-only parameters (message_post's) cannot be passed positionally.
 */
const PASSWORDS = new Map<number, string>([[2, ADMIN_PASSWORD]]);

function credentialsValid(uid: unknown, secret: unknown): boolean {
  if (typeof uid !== 'number' || typeof secret !== 'string') return false;
  return PASSWORDS.get(uid) === secret || API_KEYS.get(secret) === uid;
}

function checkDatabase(db: unknown): void {
  if (db !== DATABASE) throw new OdooException('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(db)}" does not exist`, 500);
}

function login(store: OdooStore, db: unknown, loginName: unknown, secret: unknown): number | false {
  checkDatabase(db);
  const user = store.rows('res.users').find((u) => u.login === loginName && u.active !== false);
  return user && credentialsValid(user.id, secret) ? user.id : false;
}

function dispatch(store: OdooStore, major: number, service: unknown, method: unknown, args: unknown[]): unknown {
  if (service === 'common') {
    if (method === 'version') return serverVersion(major);
    if (method === 'login' || method === 'authenticate') return login(store, args[0], args[1], args[2]);
    throw new OdooException('builtins.NameError', `Method not available ${String(method)}`, 500);
  }
  if (service === 'db' && method === 'list') return [DATABASE];
  if (service !== 'object' || (method !== 'execute_kw' && method !== 'execute')) throw new OdooException('builtins.NameError', `Method not available ${String(method)}`, 500);
  const [db, uid, secret, model, name, ...rest] = args;
  checkDatabase(db);
  if (!credentialsValid(uid, secret)) throw accessDenied();
  const m = findModel(String(model));
  if (!m) throw userError(`Object ${String(model)} doesn't exist`);
  const sig = SIGNATURES[String(name)];
  if (!sig) throw new OdooException('builtins.AttributeError', `The method '${String(model)}.${String(name)}' does not exist`, 500);
  const positional = method === 'execute_kw' ? (Array.isArray(rest[0]) ? (rest[0] as unknown[]) : []) : rest;
  const kwargs = method === 'execute_kw' && rest[1] && typeof rest[1] === 'object' ? { ...(rest[1] as Record<string, unknown>) } : {};
  const context = (kwargs.context as Record<string, unknown> | undefined) ?? {};
  delete kwargs.context;
  const [first, ...others] = positional;
  const ids = sig.record ? (Array.isArray(first) ? first.map(Number) : first === undefined ? [] : [Number(first)]) : [];
  const params = sig.record ? others : positional;
  // odoo.api._call_kw_model_create answers `result.id if isinstance(args[0], Mapping) else result.ids`.
  if (name === 'create' && positional.length === 0) throw new OdooException('builtins.IndexError', 'tuple index out of range', 500);
  if (sig.keywordOnly && params.length > 0)
    throw new OdooException('builtins.TypeError', `${String(name)}() takes 1 positional argument but ${params.length + 1} were given`, 500);
  params.forEach((v, i) => {
    const p = sig.params[i];
    if (!p) throw new OdooException('builtins.TypeError', `${String(name)}() takes ${sig.params.length + 1} positional arguments but ${params.length + 1} were given`, 500);
    kwargs[p] = v;
  });
  return callMethod(store, { model: m.name, method: String(name), ids, kwargs, env: { uid: uid as number, context }, flavor: 'jsonrpc' });
}

/** `/jsonrpc`, and the web client's `version_info` (a JSON-RPC route too), as Odoo `major` serves them. */
export async function registerJsonRpc(app: FastifyInstance, store: OdooStore, major: number): Promise<void> {
  app.post('/jsonrpc', async (req) => {
    const body = (req.body ?? {}) as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
    const id = body.id ?? null;
    try {
      const p = body.params ?? {};
      const result = dispatch(store, major, p.service, p.method, Array.isArray(p.args) ? p.args : []);
      return { jsonrpc: '2.0', id, result };
    } catch (e) {
      const err = asOdooException(e);
      return { jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data: err.serialize() } };
    }
  });
  app.post('/web/webclient/version_info', async (req) => ({ jsonrpc: '2.0', id: (req.body as { id?: unknown } | undefined)?.id ?? null, result: serverVersion(major) }));
}

/** Werkzeug's page for a route an Odoo before 19 does not have (/json/2): HTML, not JSON. */
export async function registerLegacyNotFound(app: FastifyInstance): Promise<void> {
  const page =
    '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
  app.all('/json/2/*', async (_req, reply) => reply.code(404).type('text/html; charset=utf-8').send(page));
}

import type { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, vendorText } from '../http/classify.js';
import type { CrmHttp, CrmRequest, CrmResponse } from '../http/client.js';
import { ODOO, REFUSALS } from './facts.js';
import { JsonRpcAnswer, parseAnswer } from './schemas.js';

/**
 * Odoo's older external API (the only one before 19): `POST <server>/jsonrpc` with
 * `{"jsonrpc":"2.0","method":"call","params":{service, method, args}}`. It answers HTTP 200
 * either way: `result`, or `error.data` carrying the Python exception's name and message.
 */
export { JsonRpcAnswer } from './schemas.js';

let nextId = 1;

export function jsonRpcRequest(server: string, service: string, method: string, args: unknown[], idempotent = true): CrmRequest {
  return { method: 'POST', url: `${server}/jsonrpc`, body: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: nextId++ }, idempotent };
}

/** Positions in execute_kw's arguments that the credentials fill (see `withCredentials`). */
const DB = 0;
const KEY = 2;

/**
 * `execute_kw(db, uid, key, model, method, args, kwargs)` with JSON-2's named arguments:
 * Odoo's call_kw takes a record method's ids as the first positional argument and `create`'s
 * values likewise (it reads `args[0]`), so those go positionally; the rest go as keywords
 * (message_post's are keyword-only). Database and key are left empty here: the connection's
 * `authRequest` puts them in, so they never pass through connector code.
 */
export function executeKw(server: string, uid: number, model: string, method: string, named: Record<string, unknown>, idempotent: boolean): CrmRequest {
  const { ids, ...kwargs } = named;
  const positional: unknown[] = ids === undefined ? [] : [ids];
  for (const name of ODOO.positional[method as keyof typeof ODOO.positional] ?? []) {
    if (!(name in kwargs)) continue;
    positional.push(kwargs[name]);
    delete kwargs[name];
  }
  const args: unknown[] = [];
  args[DB] = null;
  args[1] = uid;
  args[KEY] = null;
  args.push(model, method, positional, kwargs);
  return jsonRpcRequest(server, 'object', 'execute_kw', args, idempotent);
}

/** Puts the database and API key into an execute_kw call (only there: other calls carry them already). */
export function withCredentials(req: CrmRequest, database: string, apiKey: string): CrmRequest {
  const body = req.body as { params?: { service?: unknown; method?: unknown; args?: unknown[] } } | undefined;
  const p = body?.params;
  if (!req.url.endsWith('/jsonrpc') || p?.service !== 'object' || p.method !== 'execute_kw' || !Array.isArray(p.args)) return req;
  const args = [...p.args];
  args[DB] = database;
  args[KEY] = apiKey;
  return { ...req, body: { ...body, params: { ...p, args } } };
}

/** Python exceptions that mean the call itself was malformed: retrying cannot help. */
const CALL_ERRORS = /TypeError|IndexError|KeyError|AttributeError|NameError/;

/**
 * The CrmError for an answer of /jsonrpc, or undefined when it carries a result. Mapped as
 * JSON-2's statuses are: the data refusals are `invalid` (MissingError `not_found`) in Odoo's
 * words, AccessDenied and an unknown database are `auth`, AccessError `forbidden`; any other
 * exception is a server error that may pass.
 */
export function jsonRpcFailure(res: CrmResponse, what: string, database?: string): CrmError | undefined {
  if (res.status !== 200) return failureFromStatus(ODOO.name, res, undefined);
  // Not an envelope at all (a proxy's page, an empty answer) may pass; a result of the wrong shape is the caller's to refuse.
  const body = JsonRpcAnswer.safeParse(res.body).data;
  if (!body || (!('result' in body) && !body.error))
    return new CrmError('unavailable', `${ODOO.name} did not answer ${what} as JSON-RPC (HTTP ${res.status}); crm-sync will retry.`, { status: res.status, body: res.body });
  if (!body.error) return undefined;
  const name = vendorText(body.error.data?.name ?? '');
  const message = vendorText(body.error.data?.message ?? body.error.message ?? name);
  const details = { status: res.status, vendorCode: name, body: res.body };
  if (/MissingError/.test(name)) return new CrmError('not_found', `${ODOO.name} refused ${what}: "${message}"`, details);
  if (REFUSALS.test(name) || CALL_ERRORS.test(name)) return new CrmError('invalid', `${ODOO.name} refused ${what}: "${message}"`, details);
  if (/OperationalError/.test(name) && /database .* does not exist/.test(message))
    return new CrmError('auth', `${ODOO.name} has no database "${database ?? '?'}" on this server ("${message}"). Check the database name in the credentials.`, details);
  if (/AccessDenied/.test(name)) return failureFromStatus(ODOO.name, { ...res, status: 401 }, message, name);
  if (/AccessError/.test(name)) return failureFromStatus(ODOO.name, { ...res, status: 403 }, message, name);
  return new CrmError('unavailable', `${ODOO.name} had a server error in ${what} (${name || 'no exception named'}): "${message}"; crm-sync will retry.`, details);
}

/** The result of a /jsonrpc call parsed with `schema`, or its failure thrown. */
export async function callJsonRpc<S extends z.ZodType>(http: CrmHttp, req: CrmRequest, schema: S, what: string, database?: string): Promise<z.infer<S>> {
  const res = await http(req);
  const failure = jsonRpcFailure(res, what, database);
  if (failure) throw failure;
  return parseAnswer(schema, parseAnswer(JsonRpcAnswer, res.body, what).result, what);
}

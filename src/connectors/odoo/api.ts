import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { OutboundContext } from '../outbound.js';
import type { ConnectionTarget } from '../types.js';
import { ODOO, REFUSALS, type OdooProtocol } from './facts.js';
import { executeKw, jsonRpcFailure } from './jsonrpc.js';
import { createdIds, JsonRpcAnswer, parseAnswer } from './schemas.js';

export { ODOO, REFUSALS } from './facts.js';

/** The API this connection speaks: what the last check found, or the admin's choice, else JSON-2. */
export function protocolOf(target: ConnectionTarget): OdooProtocol {
  if (target.api === 'json2' || target.api === 'jsonrpc') return target.api;
  return target.odoo?.protocol ?? 'json2';
}

/**
 * One Odoo call with named arguments, over the connection's API: JSON-2's
 * `POST <server>/json/2/<model>/<method>`, or /jsonrpc's execute_kw for servers before 19.
 * Reads and writes that set values are safe to send twice (`idempotent`); creates are not, and the shared layer must not retry them after a timeout.
 * The result is parsed with `schema`.
 */
export async function callOdoo<S extends z.ZodType>(ctx: OutboundContext, model: string, method: string, args: Record<string, unknown>, idempotent: boolean, schema: S): Promise<z.infer<S>> {
  return parseAnswer(schema, await resultOf(ctx, model, method, args, idempotent), `${model}.${method}`);
}

/** The bare result of one call (the JSON-RPC envelope taken off), or its failure thrown. */
async function resultOf(ctx: OutboundContext, model: string, method: string, args: Record<string, unknown>, idempotent: boolean): Promise<unknown> {
  if (protocolOf(ctx.target) === 'jsonrpc') {
    const uid = ctx.target.odoo?.uid;
    if (uid === undefined) throw new CrmError('auth', `This Odoo connection does not know its user id for /jsonrpc yet: use Test Connection, or connect Odoo again.`);
    const res = await ctx.http(executeKw(ctx.apiBase, uid, model, method, args, idempotent));
    const failure = jsonRpcFailure(res, `${model}.${method}`);
    if (failure) throw failure;
    // jsonRpcFailure found a `result` in the envelope.
    return parseAnswer(JsonRpcAnswer, res.body, `${model}.${method}`).result;
  }
  const res = await ctx.http({ method: 'POST', url: `${ctx.apiBase}/json/2/${model}/${method}`, body: args, idempotent });
  if (res.status >= 200 && res.status < 300) return res.body;
  const name = pickMessage(res.body, 'name');
  const message = pickMessage(res.body, 'message');
  if (name && REFUSALS.test(name) && res.status !== 401) {
    return Promise.reject(new CrmError(/MissingError/.test(name) ? 'not_found' : 'invalid', `Odoo refused ${model}.${method}: "${message ?? name}"`, { status: res.status, vendorCode: name, body: res.body }));
  }
  throw failureFromStatus(ODOO.name, res, message, name);
}

/**
 * Creates a vals_list, one id or error per record. Odoo creates a list in one transaction, so one
 * refused record refuses them all: a refused list is split in halves until the bad record stands
 * alone, and the others are created. Not retried after a timeout (a create is not idempotent).
 */
export async function createSplitting(ctx: OutboundContext, model: string, list: Record<string, unknown>[]): Promise<(number | CrmError)[]> {
  if (list.length === 0) return [];
  let answer: unknown;
  try {
    answer = await resultOf(ctx, model, 'create', { vals_list: list }, false);
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    // A record about a deleted document (a note on a partner gone since) is a MissingError: the data again.
    const refused = err.kind === 'invalid' || /MissingError/.test(err.details.vendorCode ?? '');
    if (!refused || list.length === 1) return list.map(() => err);
    const half = Math.ceil(list.length / 2);
    return [...(await createSplitting(ctx, model, list.slice(0, half))), ...(await createSplitting(ctx, model, list.slice(half)))];
  }
  // Parsed outside the split: the records may well exist now, and creating halves again would double them.
  try {
    return parseAnswer(createdIds(list.length), answer, `${model}.create`);
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return list.map(() => err);
  }
}

/** Reads with search_read, each record parsed with `row`; a POST that changes nothing, so retried after a timeout. */
export const searchRead = <S extends z.ZodType>(ctx: OutboundContext, model: string, domain: unknown[], fields: string[], row: S, extra: Record<string, unknown> = {}) =>
  callOdoo(ctx, model, 'search_read', { domain, fields, ...extra }, true, z.array(row));

/** `['|', a, '|', b, c]`: Odoo's prefix OR over any number of leaves (none: match nothing). */
export function anyOf(leaves: unknown[]): unknown[] {
  if (leaves.length === 0) return [['id', '=', 0]];
  return [...Array<string>(leaves.length - 1).fill('|'), ...leaves];
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A many2one read back as `[id, "name"]`, or false. */
export const idOf = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : undefined);

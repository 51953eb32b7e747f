import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { OutboundContext } from '../outbound.js';

/** Odoo's facts for outbound sync, in one place. */
export const ODOO = {
  name: 'Odoo',
  /** Records per `create` call (vals_list); Odoo has no other batch endpoint. */
  batchSize: 100,
  /** Ids or values per domain `in` list, so that one search stays a modest request. */
  searchChunk: 200,
  /** Our client id on a partner: `ref` (Internal Reference) holds `crm-sync:<clientId>`. */
  keyPrefix: 'crm-sync:',
  /** Activity types by the name Odoo seeds them with. */
  activityTypes: { task: 'To-Do', call: 'Call', meeting: 'Meeting' },
} as const;

/** Odoo's exception classes that mean the data was refused (ValueError is how Odoo words a bad selection, date or field). */
export const REFUSALS = /ValidationError|UserError|ValueError|UnprocessableEntity|MissingError/;

/**
 * One JSON-2 call: `POST <server>/json/2/<model>/<method>` with named arguments. Reads and
 * writes that set values are safe to send twice (`idempotent`); creates and message posts
 * are not, and the shared layer must not retry them after a timeout.
 */
export async function callOdoo<T = unknown>(ctx: OutboundContext, model: string, method: string, args: Record<string, unknown>, idempotent: boolean): Promise<T> {
  const res = await ctx.http({ method: 'POST', url: `${ctx.apiBase}/json/2/${model}/${method}`, body: args, idempotent });
  if (res.status >= 200 && res.status < 300) return res.body as T;
  const name = pickMessage(res.body, 'name');
  const message = pickMessage(res.body, 'message');
  if (name && REFUSALS.test(name) && res.status !== 401) {
    return Promise.reject(new CrmError(/MissingError/.test(name) ? 'not_found' : 'invalid', `Odoo refused ${model}.${method}: "${message ?? name}"`, { status: res.status, vendorCode: name, body: res.body }));
  }
  throw failureFromStatus(ODOO.name, res, message, name);
}

/** Reads with search_read; a POST that changes nothing, so retried after a timeout. */
export const searchRead = <T = Record<string, unknown>>(ctx: OutboundContext, model: string, domain: unknown[], fields: string[], extra: Record<string, unknown> = {}) =>
  callOdoo<T[]>(ctx, model, 'search_read', { domain, fields, ...extra }, true);

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

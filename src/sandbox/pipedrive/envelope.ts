import { badRequest } from './errors.js';

/** v1 lists page with start/limit; v2 lists with an opaque cursor. Both cap limit at 500. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

export function ok(data: unknown, additional?: Record<string, unknown>) {
  return additional === undefined ? { success: true, data } : { success: true, data, additional_data: additional };
}

function intParam(raw: unknown, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value for parameter ${name}`);
  return Math.min(n, max);
}

export function pageV1<T>(rows: T[], query: Record<string, unknown>) {
  const start = intParam(query.start, 'start', 0);
  const limit = Math.max(1, intParam(query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT));
  const items = rows.slice(start, start + limit);
  const more = start + limit < rows.length;
  const pagination: Record<string, unknown> = { start, limit, more_items_in_collection: more };
  if (more) pagination.next_start = start + limit;
  return { items, additional: { pagination } };
}

/** The cursor is the id of the last item seen, base64 encoded as Pipedrive's look. */
export function pageV2<T extends { id: string }>(rows: T[], query: Record<string, unknown>) {
  const limit = Math.max(1, intParam(query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT));
  let after = 0;
  if (typeof query.cursor === 'string' && query.cursor !== '') {
    try {
      const parsed = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as { id?: unknown };
      if (typeof parsed.id !== 'number') throw new Error('no id');
      after = parsed.id;
    } catch {
      throw badRequest('Invalid cursor');
    }
  }
  const rest = rows.filter((r) => Number(r.id) > after).sort((a, b) => Number(a.id) - Number(b.id));
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  const next_cursor = rest.length > limit && last ? Buffer.from(JSON.stringify({ id: Number(last.id) })).toString('base64url') : null;
  return { items, additional: { next_cursor } };
}

/** v1 shows times as "YYYY-MM-DD HH:MM:SS" (UTC); v2 as RFC 3339. */
export const v1Time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
export const v2Time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19) + 'Z');

import type { Stamped } from '../kit/table.js';
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

/**
 * v2 lists page with a cursor: the sort position of the last item seen (by default its id),
 * base64 encoded as Pipedrive's look. The next page starts after that position, so a record
 * created or changed meanwhile neither repeats nor shifts the pages.
 */
export function pageV2<T extends { id: string }>(rows: T[], query: Record<string, unknown>, position: (row: T) => number[] = (r) => [Number(r.id)], descending = false) {
  const limit = Math.max(1, intParam(query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT));
  const sign = descending ? -1 : 1;
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return sign * ((a[i] as number) - (b[i] as number));
    return 0;
  };
  let after: number[] | undefined;
  if (typeof query.cursor === 'string' && query.cursor !== '') {
    try {
      const parsed = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as { id?: unknown; at?: unknown };
      const at = Array.isArray(parsed.at) ? parsed.at : [parsed.id];
      if (!at.every((n) => typeof n === 'number')) throw new Error('not a position');
      after = at as number[];
    } catch {
      throw badRequest('Invalid cursor');
    }
  }
  const rest = rows
    .map((row) => ({ row, at: position(row) }))
    .filter((r) => after === undefined || compare(r.at, after) > 0)
    .sort((a, b) => compare(a.at, b.at));
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  const next_cursor = rest.length > limit && last ? Buffer.from(JSON.stringify(last.at.length === 1 ? { id: last.at[0] } : { at: last.at })).toString('base64url') : null;
  return { items: items.map((i) => i.row), additional: { next_cursor } };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SORT_BY = ['id', 'update_time', 'add_time'] as const;
const SORT_DIRECTION = ['asc', 'desc'] as const;
/** v2 shows and compares times to the second. */
const toSecond = (ms: number) => ms - (ms % 1000);

function timeParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = typeof raw === 'string' && RFC3339.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`Validation failed: ${name}: Expected an RFC 3339 date-time, e.g. 2025-01-01T10:20:00Z`);
  return ms;
}

function oneOf<T extends string>(raw: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw badRequest(`Validation failed: ${name}: Expected one of ${allowed.join(', ')}`);
  return raw as T;
}

/**
 * A v2 list of stamped records, as Pipedrive serves persons, organizations, deals and
 * activities: `updated_since` keeps records whose update_time is later than or equal to it,
 * `updated_until` those earlier than it (both RFC 3339); `sort_by` id (default), update_time or
 * add_time, `sort_direction` asc (default) or desc; then the cursor page.
 */
export function listPageV2<T extends Stamped>(rows: T[], query: Record<string, unknown>) {
  const since = timeParam(query.updated_since, 'updated_since');
  const until = timeParam(query.updated_until, 'updated_until');
  const by = oneOf(query.sort_by, 'sort_by', SORT_BY, 'id');
  const direction = oneOf(query.sort_direction, 'sort_direction', SORT_DIRECTION, 'asc');
  const kept = rows.filter((r) => (since === undefined || toSecond(r.updatedAt) >= since) && (until === undefined || toSecond(r.updatedAt) < until));
  const value = (r: T) => (by === 'id' ? Number(r.id) : toSecond(by === 'update_time' ? r.updatedAt : r.createdAt));
  return pageV2(kept, query, by === 'id' ? (r) => [Number(r.id)] : (r) => [value(r), Number(r.id)], direction === 'desc');
}

/** v1 shows times as "YYYY-MM-DD HH:MM:SS" (UTC); v2 as RFC 3339. */
export const v1Time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
export const v2Time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19) + 'Z');

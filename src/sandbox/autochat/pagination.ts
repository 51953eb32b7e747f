import type { Stamped } from '../kit/table.js';
import { validation } from './errors.js';
import { DEFAULT_PAGE, MAX_PAGE } from './facts.js';

/** Cursor pagination: `?limit=` (1..100, default 50) and an opaque `?cursor=` naming the last id seen. */
export function page<T extends Stamped>(rows: T[], query: Record<string, unknown>, view: (row: T) => unknown) {
  let limit = DEFAULT_PAGE;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw validation([{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` }]);
  }
  let after = '';
  if (typeof query.cursor === 'string' && query.cursor !== '') {
    after = Buffer.from(query.cursor, 'base64url').toString('utf8');
    if (!/^[a-z]+_\d{6}$/.test(after)) throw validation([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  }
  const rest = rows.filter((r) => r.id > after);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { data: items.map(view), next_cursor: rest.length > limit && last ? Buffer.from(last.id).toString('base64url') : null };
}

import { restError } from './errors.js';
import { makeId } from './ids.js';
import type { Values } from './validate.js';

/** Records per query page: 2,000 by default; Sforce-Query-Options batchSize may ask for 200..2,000. */
export const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
/** Salesforce drops a query cursor after 15 minutes without use. */
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_OPEN_CURSORS = 50;

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Values[];
}

interface Cursor {
  records: Values[];
  totalSize: number;
  batch: number;
  lastUsed: number;
}

/** Reads `batchSize=N` from the Sforce-Query-Options header, clamped to what Salesforce allows. */
export function batchSizeFrom(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

/**
 * Query locators: the result of a query is kept as a snapshot and served in pages
 * through `nextRecordsUrl` (`/services/data/vXX.X/query/01g...-2000`).
 */
export class QueryCursors {
  private readonly open = new Map<string, Cursor>();
  private seq = 1;

  first(records: Values[], totalSize: number, batch: number, version: string): QueryPage {
    if (records.length <= batch) return { totalSize, done: true, records };
    this.expire();
    const id = makeId('01g', this.seq++);
    this.open.set(id, { records, totalSize, batch, lastUsed: Date.now() });
    return this.page(id, 0, version);
  }

  /** The page a `nextRecordsUrl` locator ("<id>-<offset>") names. */
  next(locator: string, version: string): QueryPage {
    this.expire();
    const m = /^([A-Za-z0-9]{18})-(\d+)$/.exec(locator);
    const cursor = m ? this.open.get(m[1] as string) : undefined;
    if (!m || !cursor || Number(m[2]) >= cursor.records.length) throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsed = Date.now();
    return this.page(m[1] as string, Number(m[2]), version);
  }

  clear(): void {
    this.open.clear();
    this.seq = 1;
  }

  private page(id: string, offset: number, version: string): QueryPage {
    const cursor = this.open.get(id) as Cursor;
    const end = offset + cursor.batch;
    const records = cursor.records.slice(offset, end);
    // The cursor stays until it idles out, so a client may retry a page it lost.
    if (end >= cursor.records.length) return { totalSize: cursor.totalSize, done: true, records };
    return { totalSize: cursor.totalSize, done: false, nextRecordsUrl: `/services/data/v${version}/query/${id}-${end}`, records };
  }

  private expire(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > CURSOR_IDLE_MS) this.open.delete(id);
    while (this.open.size >= MAX_OPEN_CURSORS) this.open.delete(this.open.keys().next().value as string);
  }
}

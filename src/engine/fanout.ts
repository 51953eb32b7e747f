import type { ConnectionSettings } from '../domain/connection-settings.js';
import { chunks } from '../store/chunks.js';
import { updateConnection } from '../store/connections.js';
import { readOutboxAfter } from '../store/outbox-reader.js';
import type { ConnectionTable } from '../store/schema.js';
import type { Store, Tx } from '../store/store.js';
import { markPending, waitingItemIds, type ItemChange } from '../store/sync-items.js';
import { appendSyncLogs } from '../store/sync-logs.js';
import { waitingForInterval } from './pending-log.js';

const PAGE = 2_000;
/** What the outbox carries that a CRM connection syncs. */
const SYNCED = new Set<ItemChange['entityType']>(['client', 'company', 'conversation', 'deal']);

/**
 * Takes the workspace's new outbox rows into this connection's sync items, in the same
 * transaction as the cursor moves, so a crash repeats a page rather than losing one. New
 * records are due at once (PRODUCT.md Y1), and so are records a new one refreshes (a client
 * given specific fields by a new conversation); updates on the connection's interval (Y2), and
 * the sync log says so with a `pending` entry when a record starts waiting.
 */
export async function fanOut(store: Store, row: ConnectionTable, settings: ConnectionSettings, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await store.write(async (tx) => {
      const current = await tx.selectFrom('connections').select('outbox_cursor').where('id', '=', row.id).executeTakeFirstOrThrow();
      const rows = await readOutboxAfter(tx, row.workspace_id, current.outbox_cursor, PAGE);
      if (!rows.length) return 0;
      const interval = settings.updateIntervalMinutes * 60_000;
      const changes: ItemChange[] = rows
        .filter((r) => SYNCED.has(r.entity_type))
        // A deal is a request to act, not a record to keep in step: it is due at once, also when re-sent.
        .map((r) => ({ entityType: r.entity_type, entityId: r.entity_id, version: r.version, dueAt: r.change !== 'updated' || r.entity_type === 'deal' ? now : now + interval }));
      const waits = await newWaits(tx, row.id, changes, now);
      await markPending(tx, store.dialect, row.id, row.workspace_id, changes, now);
      await appendSyncLogs(tx, waits.map((c) => waitingForInterval(row, c, c.dueAt, settings.updateIntervalMinutes)), now);
      await updateConnection(tx, row.id, { outbox_cursor: rows[rows.length - 1]!.id });
      return rows.length;
    });
    total += moved;
    if (moved < PAGE) return total;
  }
}

/**
 * The changes that start a wait for the interval: not due now, and their record not already
 * waiting (a change to a record that waits joins that wait, which keeps its earlier due time,
 * so ten updates of a client say `pending` once).
 */
async function newWaits(tx: Tx, connectionId: string, changes: ItemChange[], now: number): Promise<ItemChange[]> {
  const byRecord = new Map<string, ItemChange>();
  for (const c of changes) {
    const key = `${c.entityType}\u0000${c.entityId}`;
    const prior = byRecord.get(key);
    if (!prior || c.dueAt < prior.dueAt) byRecord.set(key, c);
  }
  const later = [...byRecord.values()].filter((c) => c.dueAt > now);
  const waits: ItemChange[] = [];
  for (const type of new Set(later.map((c) => c.entityType))) {
    for (const part of chunks(later.filter((c) => c.entityType === type), 500)) {
      const waiting = await waitingItemIds(tx, connectionId, type, part.map((c) => c.entityId));
      waits.push(...part.filter((c) => !waiting.has(c.entityId)));
    }
  }
  return waits;
}

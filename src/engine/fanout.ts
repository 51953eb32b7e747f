import type { ConnectionSettings } from '../domain/connection-settings.js';
import { updateConnection } from '../store/connections.js';
import { readOutboxAfter } from '../store/outbox-reader.js';
import type { ConnectionTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { markPending, type ItemChange } from '../store/sync-items.js';

const PAGE = 2_000;
/** What the outbox carries that a CRM connection syncs. */
const SYNCED = new Set<ItemChange['entityType']>(['client', 'company', 'conversation', 'deal']);

/**
 * Takes the workspace's new outbox rows into this connection's sync items, in the same
 * transaction as the cursor moves, so a crash repeats a page rather than losing one. New
 * records are due at once (PRODUCT.md Y1), and so are records a new one refreshes (a client
 * given specific fields by a new conversation); updates on the connection's interval (Y2).
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
      await markPending(tx, store.dialect, row.id, row.workspace_id, changes, now);
      await updateConnection(tx, row.id, { outbox_cursor: rows[rows.length - 1]!.id });
      return rows.length;
    });
    total += moved;
    if (moved < PAGE) return total;
  }
}

import { sql } from 'kysely';
import { chunks } from './chunks.js';
import type { SyncItemTable } from './schema.js';
import type { Dialect } from './dialect.js';
import type { Db, Tx } from './store.js';

export interface ItemChange {
  entityType: SyncItemTable['entity_type'];
  entityId: string;
  version: number;
  dueAt: number;
}

/**
 * Records that a record has a newer version to sync. An item already waiting keeps the
 * earlier of the two due times (a new client stays immediate even if updated again).
 */
export async function markPending(tx: Tx, dialect: Dialect, connectionId: string, workspaceId: string, changes: ItemChange[], now: number): Promise<void> {
  // Two-argument max/min are SQLite's; PostgreSQL calls them greatest/least.
  const [max, min] = dialect === 'postgres' ? [sql.raw('greatest'), sql.raw('least')] : [sql.raw('max'), sql.raw('min')];
  for (const part of chunks(coalesce(changes), 150)) {
    await tx
      .insertInto('sync_items')
      .values(
        part.map((c) => ({
          connection_id: connectionId,
          workspace_id: workspaceId,
          entity_type: c.entityType,
          entity_id: c.entityId,
          pending_version: c.version,
          synced_version: 0,
          due_at: Math.ceil(c.dueAt),
          attempts: 0,
          state: 'pending' as const,
          last_error: null,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'entity_type', 'entity_id']).doUpdateSet((eb) => ({
          pending_version: sql<number>`${max}(${eb.ref('sync_items.pending_version')}, ${eb.ref('excluded.pending_version')})`,
          due_at: sql<number>`case when ${eb.ref('sync_items.pending_version')} > ${eb.ref('sync_items.synced_version')}
            then ${min}(${eb.ref('sync_items.due_at')}, ${eb.ref('excluded.due_at')}) else ${eb.ref('excluded.due_at')} end`,
          state: 'pending',
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/**
 * One change per record: its newest version, due at the earliest of its times. (Ten updates
 * of a client become one write; PostgreSQL also refuses to upsert one row twice in a statement.)
 */
function coalesce(changes: ItemChange[]): ItemChange[] {
  const byRecord = new Map<string, ItemChange>();
  for (const c of changes) {
    const key = `${c.entityType}\u0000${c.entityId}`;
    const prior = byRecord.get(key);
    byRecord.set(key, prior ? { ...c, version: Math.max(prior.version, c.version), dueAt: Math.min(prior.dueAt, c.dueAt) } : c);
  }
  return [...byRecord.values()];
}

/**
 * Of these records of one kind, the ids of those already waiting to be synced (a newer version
 * than the synced one): a change to one of them joins the wait it is in. By kind, so that the
 * lookup uses the items' (connection, kind, id) key.
 */
export async function waitingItemIds(db: Db | Tx, connectionId: string, entityType: SyncItemTable['entity_type'], entityIds: string[]): Promise<Set<string>> {
  if (!entityIds.length) return new Set();
  const rows = await db
    .selectFrom('sync_items')
    .select('entity_id')
    .where('connection_id', '=', connectionId)
    .where('entity_type', '=', entityType)
    .where('entity_id', 'in', entityIds)
    .whereRef('pending_version', '>', 'synced_version')
    .execute();
  return new Set(rows.map((r) => r.entity_id));
}

/** Items with something to sync whose time has come, oldest first. */
export async function dueItems(db: Db | Tx, connectionId: string, now: number, limit: number): Promise<SyncItemTable[]> {
  return db
    .selectFrom('sync_items')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('due_at', '<=', now)
    .whereRef('pending_version', '>', 'synced_version')
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

export async function countPendingItems(db: Db | Tx, connectionId: string): Promise<number> {
  const r = await db
    .selectFrom('sync_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connectionId)
    .whereRef('pending_version', '>', 'synced_version')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Sync Now: everything pending is due immediately. */
export async function makeAllDue(db: Db | Tx, connectionId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('sync_items')
    .set({ due_at: now })
    .where('connection_id', '=', connectionId)
    .whereRef('pending_version', '>', 'synced_version')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The item is done with `version` (synced, skipped on purpose, or failed in a way only a change can fix): nothing to do until a newer one. */
export async function settleItem(
  db: Db | Tx,
  key: { connectionId: string; entityType: SyncItemTable['entity_type']; entityId: string },
  p: { version: number; state: 'synced' | 'skipped' | 'failed'; note: string | null },
  now: number,
): Promise<void> {
  await db
    .updateTable('sync_items')
    .set({ synced_version: p.version, state: p.state, attempts: 0, last_error: p.note, updated_at: now, write_started_at: null })
    .where('connection_id', '=', key.connectionId)
    .where('entity_type', '=', key.entityType)
    .where('entity_id', '=', key.entityId)
    .where('pending_version', '<=', p.version)
    .execute();
}

/** A failed attempt: try again at `retryAt`, with the error kept for the logs. */
export async function deferItem(
  db: Db | Tx,
  key: { connectionId: string; entityType: SyncItemTable['entity_type']; entityId: string },
  p: { retryAt: number; error: string; failed: boolean },
  now: number,
): Promise<void> {
  await db
    .updateTable('sync_items')
    // Times are whole milliseconds: PostgreSQL's bigint refuses 1796315809991.5 (and fails the statement).
    .set((eb) => ({ due_at: Math.ceil(p.retryAt), attempts: eb('attempts', '+', 1), last_error: p.error, state: p.failed ? 'failed' : 'pending', updated_at: now }))
    .where('connection_id', '=', key.connectionId)
    .where('entity_type', '=', key.entityType)
    .where('entity_id', '=', key.entityId)
    .execute();
}

/** A record skipped by a filter that may pass now: due again at once (nothing is synced yet for it). */
export async function requeueSkipped(db: Db | Tx, key: { connectionId: string; entityType: SyncItemTable['entity_type']; entityId: string }, now: number): Promise<boolean> {
  const r = await db
    .updateTable('sync_items')
    .set({ synced_version: 0, state: 'pending', due_at: now, updated_at: now })
    .where('connection_id', '=', key.connectionId)
    .where('entity_type', '=', key.entityType)
    .where('entity_id', '=', key.entityId)
    .where('state', '=', 'skipped')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Notes that writes of these items to the CRM begin now, before the call, so that after a crash
 * or an unanswered call the next attempt knows to look for what this one may have written.
 */
export async function markWriteStarted(db: Db | Tx, connectionId: string, items: Pick<SyncItemTable, 'entity_type' | 'entity_id' | 'write_started_at'>[], now: number): Promise<void> {
  const fresh = items.filter((i) => i.write_started_at === null);
  for (const type of new Set(fresh.map((i) => i.entity_type))) {
    const ids = fresh.filter((i) => i.entity_type === type).map((i) => i.entity_id);
    for (let i = 0; i < ids.length; i += 500) {
      await db
        .updateTable('sync_items')
        .set({ write_started_at: now })
        .where('connection_id', '=', connectionId)
        .where('entity_type', '=', type)
        .where('entity_id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }
}

/** Where these clients stand on a connection (state, versions, last error), by client id. */
export async function clientItemStates(
  db: Db | Tx,
  connectionId: string,
  clientIds: string[],
): Promise<Map<string, Pick<SyncItemTable, 'entity_id' | 'state' | 'pending_version' | 'synced_version' | 'last_error'>>> {
  if (!clientIds.length) return new Map();
  const rows = await db
    .selectFrom('sync_items')
    .select(['entity_id', 'state', 'pending_version', 'synced_version', 'last_error'])
    .where('connection_id', '=', connectionId)
    .where('entity_type', '=', 'client')
    .where('entity_id', 'in', clientIds)
    .execute();
  return new Map(rows.map((r) => [r.entity_id, r]));
}

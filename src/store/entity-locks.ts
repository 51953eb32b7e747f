import { createHash } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import type { Tx } from './store.js';
import type { VersionedTable } from './versions.js';

/**
 * Above this many ids, a write locks the whole kind of the workspace instead of each id:
 * PostgreSQL's lock table holds about 64 locks per connection, and a batch of 5,000 would
 * exhaust it.
 */
const PER_ID_LIMIT = 64;

/**
 * Makes writers of the same records wait for each other until commit, so each reads the
 * version the previous one committed and takes the next (versions 1..N, one `created`).
 *
 * SQLite needs nothing: Store.write begins with BEGIN IMMEDIATE, one writer at a time.
 * PostgreSQL takes transaction-scoped advisory locks: a shared lock on (workspace, kind)
 * and an exclusive one per id, or, for a large batch, the exclusive lock on (workspace, kind)
 * alone. Locks are taken in one order everywhere (the kind's lock, then ids by key, and
 * callers lock kinds in a fixed order), so two writers never wait for each other in a cycle.
 */
export async function lockRecords(tx: Tx, table: VersionedTable, workspaceId: string, ids: string[]): Promise<void> {
  // The ingest functions get a transaction, not the Store; its adapter says which engine runs it.
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter) || ids.length === 0) return;
  const unique = [...new Set(ids)];
  const kindKey = String(lockKey(workspaceId, table, ''));
  if (unique.length > PER_ID_LIMIT) {
    await sql`select pg_advisory_xact_lock(${kindKey}::bigint)`.execute(tx);
    return;
  }
  await sql`select pg_advisory_xact_lock_shared(${kindKey}::bigint)`.execute(tx);
  const idKeys = [...new Set(unique.map((id) => lockKey(workspaceId, table, id)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // unnest yields the keys in array order, so the locks are taken in sorted order.
  await sql`select count(pg_advisory_xact_lock(k)) from unnest(${idKeys.map(String)}::bigint[]) as k`.execute(tx);
}

/** A signed 64-bit key for (workspace, kind, id): the first 8 bytes of a SHA-256. */
function lockKey(workspaceId: string, table: VersionedTable, id: string): bigint {
  // The id is last and may hold anything; the length prefixes keep the parts apart.
  const text = `${workspaceId.length}:${workspaceId}|${table}|${id.length}:${id}`;
  return createHash('sha256').update(text).digest().readBigInt64BE(0);
}

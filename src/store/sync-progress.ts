import { sql } from 'kysely';
import type { Db, Tx } from './store.js';

/** Where a connection's sync items stand, counted in one pass over them. */
export interface ItemCounts {
  total: number;
  synced: number;
  skipped: number;
  failed: number;
  /** A newer version than the CRM has (pending_version > synced_version), whatever the state. */
  pending: number;
  /** Pending and due now. */
  due: number;
  /** Pending after a failed attempt (backing off). */
  retrying: number;
  /** Settled (nothing newer to write) at or after `since`. */
  settledSince: number;
  /** The earliest updated_at at or after `since`, settled or not; null when none. */
  firstTouchSince: number | null;
}

const PENDING = sql`pending_version > synced_version`;
const SETTLED = sql`pending_version <= synced_version`;

/**
 * Counts of one connection's items, and what settled since `since` (for the rate). One scan of
 * the connection's rows through the primary key, which starts with connection_id: the counts
 * need every row anyway, so an index on updated_at would only make each settle write dearer.
 */
export async function connectionItemCounts(db: Db | Tx, connectionId: string, now: number, since: number): Promise<ItemCounts> {
  const r = await db
    .selectFrom('sync_items')
    .select([
      sql<string | number>`count(*)`.as('total'),
      sql<string | number>`count(case when ${SETTLED} and state = 'synced' then 1 end)`.as('synced'),
      sql<string | number>`count(case when ${SETTLED} and state = 'skipped' then 1 end)`.as('skipped'),
      sql<string | number>`count(case when ${SETTLED} and state = 'failed' then 1 end)`.as('failed'),
      sql<string | number>`count(case when ${PENDING} then 1 end)`.as('pending'),
      sql<string | number>`count(case when ${PENDING} and due_at <= ${now} then 1 end)`.as('due'),
      sql<string | number>`count(case when ${PENDING} and attempts > 0 then 1 end)`.as('retrying'),
      sql<string | number>`count(case when ${SETTLED} and updated_at >= ${since} then 1 end)`.as('settled_since'),
      sql<string | number | null>`min(case when updated_at >= ${since} then updated_at end)`.as('first_touch_since'),
    ])
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  // PostgreSQL answers count(*) and bigint as strings.
  return {
    total: Number(r.total),
    synced: Number(r.synced),
    skipped: Number(r.skipped),
    failed: Number(r.failed),
    pending: Number(r.pending),
    due: Number(r.due),
    retrying: Number(r.retrying),
    settledSince: Number(r.settled_since),
    firstTouchSince: r.first_touch_since === null ? null : Number(r.first_touch_since),
  };
}

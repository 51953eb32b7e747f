import { OUTBOUND } from '../connectors/outbound-registry.js';
import type { ConnectionSettings } from '../domain/connection-settings.js';
import type { CrmId } from '../domain/crm.js';
import type { ConnectionTable } from '../store/schema.js';
import type { Db } from '../store/store.js';
import { appendSyncLogs } from '../store/sync-logs.js';
import { waitingForActivation } from './pending-log.js';

/**
 * A CRM whose destination flow ends with "Activate integration" (its connector checks the
 * chosen module and fields with a test record: Zoho, as in the TimelinesAI seed) gets no real
 * record before that test has passed; the records wait, pending, and sync once it is activated.
 * Elsewhere activation is an optional check and syncing starts as soon as the CRM is connected.
 */
export function awaitsActivation(crm: string, settings: ConnectionSettings): boolean {
  return OUTBOUND[crm as CrmId]?.activate !== undefined && !settings.active;
}

/**
 * The sync log's pending entry for a connection waiting for activation: one per wait, not one
 * per pass, so it is written only when the connection's newest entry is not already it.
 */
export async function noteWaitingForActivation(db: Db, row: ConnectionTable, now: number): Promise<void> {
  const newest = await db.selectFrom('sync_logs').select('operation').where('connection_id', '=', row.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (newest?.operation === 'wait_activation') return;
  const pending = await db.selectFrom('sync_items').select('entity_id').where('connection_id', '=', row.id).whereRef('pending_version', '>', 'synced_version').limit(1).executeTakeFirst();
  if (!pending) return;
  await appendSyncLogs(db, [waitingForActivation(row)], now);
}

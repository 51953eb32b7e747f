import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import { appendAudit } from '../store/audit.js';
import { setConnectionStatus } from '../store/connections.js';
import type { ConnectionTable } from '../store/schema.js';
import type { Store } from '../store/store.js';

/**
 * The CRM refused the grant: pause the connection (sync skips it), say so in the audit log
 * and the sync log, and make no further attempts until an admin reconnects.
 */
export async function markNeedsReconnect(store: Store, row: ConnectionTable, reason: string): Promise<void> {
  const now = Date.now();
  const name = CRM_NAMES[row.crm as CrmId] ?? row.crm;
  await store.write(async (tx) => {
    await setConnectionStatus(tx, row.id, 'needs_reconnect', { message: reason, at: now }, now);
    await appendAudit(tx, { workspaceId: row.workspace_id, actor: 'system', action: 'connection.needs_reconnect', target: row.id, details: { crm: row.crm, reason } }, now);
    await tx
      .insertInto('sync_logs')
      .values({
        workspace_id: row.workspace_id,
        connection_id: row.id,
        crm: row.crm,
        direction: 'outbound',
        operation: 'refresh_token',
        entity_type: null,
        entity_id: null,
        client_id: null,
        status: 'failed',
        crm_record_id: null,
        attempts: 1,
        message: reason,
        action: `Reconnect ${name} from its connection page; syncing is paused until then.`,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
}

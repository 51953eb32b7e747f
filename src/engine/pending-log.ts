import type { ConnectionTable, SyncItemTable } from '../store/schema.js';
import type { NewSyncLog } from '../store/sync-logs.js';

/**
 * The sync log's `pending` entries: a record that is not synced yet and will be by itself, with
 * when. One per wait, not one per pass: when the record becomes pending on the update interval
 * (at fan-out), per deferral (with its retry time), per pause of the connection (with the time
 * it resumes). The entry of the write that follows says how it went.
 */

const at = (time: number) => new Date(time).toISOString();

type Key = { entityType: SyncItemTable['entity_type']; entityId: string };

/** An update that waits for the connection's update interval. */
export function waitingForInterval(connection: ConnectionTable, key: Key, dueAt: number, intervalMinutes: number): NewSyncLog {
  return {
    workspace_id: connection.workspace_id,
    connection_id: connection.id,
    crm: connection.crm,
    direction: 'outbound',
    operation: 'wait_interval',
    entity_type: key.entityType,
    entity_id: key.entityId,
    client_id: key.entityType === 'client' ? key.entityId : null,
    status: 'pending',
    crm_record_id: null,
    attempts: 0,
    message: `Updates are synced every ${intervalMinutes} minutes; this one is due at ${at(dueAt)}.`,
    action: 'Nothing, or Sync Now on the connection page to sync it at once.',
  };
}

/** What a deferred record's entry says: why, and when it is tried again. */
export function retryMessage(error: string, retryAt: number): string {
  return `${error}${/[.!?]$/.test(error) ? '' : '.'} Tried again at ${at(retryAt)}.`;
}

/** What a pause of the whole connection says: why, and when syncing resumes. */
export function pauseMessage(error: string, until: number): string {
  return `${error}${/[.!?]$/.test(error) ? '' : '.'} Syncing pauses until ${at(until)}.`;
}

/** What a connection waiting for "Activate integration" says about its records (see activation-gate.ts). */
export const WAITING_FOR_ACTIVATION = 'Waiting for activation: nothing is written to the CRM until the integration is activated.';

/** Records of a connection whose CRM needs activation first, before it is activated. */
export function waitingForActivation(connection: ConnectionTable): NewSyncLog {
  return {
    workspace_id: connection.workspace_id,
    connection_id: connection.id,
    crm: connection.crm,
    direction: 'outbound',
    operation: 'wait_activation',
    entity_type: null,
    entity_id: null,
    client_id: null,
    status: 'pending',
    crm_record_id: null,
    attempts: 0,
    message: WAITING_FOR_ACTIVATION,
    action: 'Activate the integration on the connection page (Configuration); the waiting records then sync.',
  };
}

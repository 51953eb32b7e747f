import type { ConnectionStatus, ConnectionTable } from './schema.js';
import type { Db, Tx } from './store.js';

export async function insertConnection(tx: Tx, row: ConnectionTable): Promise<void> {
  await tx.insertInto('connections').values(row).execute();
}

export async function findConnection(db: Db | Tx, workspaceId: string, id: string): Promise<ConnectionTable | undefined> {
  return db.selectFrom('connections').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** By id alone: for workers and token refresh, which act for any workspace. */
export async function findConnectionById(db: Db | Tx, id: string): Promise<ConnectionTable | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findConnectionByCrm(db: Db | Tx, workspaceId: string, crm: string): Promise<ConnectionTable | undefined> {
  return db.selectFrom('connections').selectAll().where('workspace_id', '=', workspaceId).where('crm', '=', crm).executeTakeFirst();
}

export async function listConnections(db: Db | Tx, workspaceId: string): Promise<ConnectionTable[]> {
  return db.selectFrom('connections').selectAll().where('workspace_id', '=', workspaceId).orderBy('crm').execute();
}

export async function updateConnection(tx: Db | Tx, id: string, patch: Partial<Omit<ConnectionTable, 'id' | 'workspace_id' | 'crm'>>): Promise<void> {
  await tx.updateTable('connections').set(patch).where('id', '=', id).execute();
}

export async function setConnectionStatus(
  tx: Db | Tx,
  id: string,
  status: ConnectionStatus,
  error: { message: string; at: number } | null,
  now: number,
): Promise<void> {
  await tx
    .updateTable('connections')
    .set({ status, last_error: error?.message ?? null, last_error_at: error?.at ?? null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Takes the connection's refresh lease when it is free or expired. One row update, so two
 * processes racing for it cannot both win; true when this caller holds it.
 */
export async function takeRefreshLease(db: Db | Tx, id: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
  const r = await db
    .updateTable('connections')
    .set({ refresh_lease_owner: owner, refresh_lease_expires_at: now + ttlMs })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('refresh_lease_expires_at', 'is', null), eb('refresh_lease_expires_at', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseRefreshLease(db: Db | Tx, id: string, owner: string): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_lease_owner: null, refresh_lease_expires_at: null })
    .where('id', '=', id)
    .where('refresh_lease_owner', '=', owner)
    .execute();
}

/** Takes or renews the right to drive this connection's sync: one worker at a time owns its rate budget. */
export async function takeSyncLease(db: Db | Tx, id: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
  const r = await db
    .updateTable('connections')
    .set({ sync_lease_owner: owner, sync_lease_expires_at: now + ttlMs })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('sync_lease_owner', '=', owner), eb('sync_lease_expires_at', 'is', null), eb('sync_lease_expires_at', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseSyncLease(db: Db | Tx, id: string, owner: string): Promise<void> {
  await db.updateTable('connections').set({ sync_lease_owner: null, sync_lease_expires_at: null }).where('id', '=', id).where('sync_lease_owner', '=', owner).execute();
}

/** Connections a worker may drive: connected ones (a paused or disconnected one waits for its admin). */
export async function listSyncableConnections(db: Db | Tx): Promise<ConnectionTable[]> {
  return db.selectFrom('connections').selectAll().where('status', '=', 'connected').execute();
}

import type { Selectable } from 'kysely';
import { chunks } from './chunks.js';
import type { SyncLogTable } from './schema.js';
import type { Db, Tx } from './store.js';

export type NewSyncLog = Omit<SyncLogTable, 'id' | 'created_at' | 'updated_at'>;

export async function appendSyncLogs(db: Db | Tx, entries: NewSyncLog[], now: number): Promise<void> {
  for (const part of chunks(entries, 100)) {
    await db
      .insertInto('sync_logs')
      .values(part.map((e) => ({ ...e, created_at: now, updated_at: now })))
      .execute();
  }
}

export interface SyncLogFilter {
  workspaceId: string;
  connectionId?: string;
  clientId?: string;
  status?: SyncLogTable['status'];
  operation?: string;
  from?: number;
  to?: number;
  /** The id of the last entry of the previous page (newest first). */
  before?: number;
  limit: number;
}

/** Newest first, with cursor pagination by id. */
export async function listSyncLogs(db: Db | Tx, f: SyncLogFilter): Promise<Selectable<SyncLogTable>[]> {
  let q = db.selectFrom('sync_logs').selectAll().where('workspace_id', '=', f.workspaceId);
  if (f.connectionId) q = q.where('connection_id', '=', f.connectionId);
  if (f.clientId) q = q.where('client_id', '=', f.clientId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.operation) q = q.where('operation', '=', f.operation);
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('created_at', '<', f.to);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

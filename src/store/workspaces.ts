import type { Db, Tx } from './store.js';
import type { WorkspaceTable } from './schema.js';

export async function insertWorkspace(tx: Tx, row: WorkspaceTable): Promise<void> {
  await tx.insertInto('workspaces').values(row).execute();
}

export async function findWorkspace(db: Db | Tx, id: string): Promise<WorkspaceTable | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

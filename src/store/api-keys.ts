import type { Db, Tx } from './store.js';
import type { ApiKeyTable } from './schema.js';

export async function insertApiKey(tx: Tx, row: ApiKeyTable): Promise<void> {
  await tx.insertInto('api_keys').values(row).execute();
}

export async function findApiKey(db: Db | Tx, id: string): Promise<ApiKeyTable | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

import type { Db, Tx } from './store.js';
import type { UserTable } from './schema.js';

export async function insertUser(tx: Tx, row: UserTable): Promise<void> {
  await tx.insertInto('users').values(row).execute();
}

export async function findUserByEmail(db: Db | Tx, email: string): Promise<UserTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

import type { SessionTable, UserTable } from './schema.js';
import type { Db, Tx } from './store.js';

export async function insertSession(tx: Db | Tx, row: SessionTable): Promise<void> {
  await tx.insertInto('sessions').values(row).execute();
}

export async function findSessionUser(db: Db | Tx, tokenHash: string, now: number): Promise<(SessionTable & { user: UserTable }) | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.name', 'users.role', 'users.password_hash', 'users.created_at as user_created_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { email, name, role, password_hash, user_created_at, ...session } = row;
  return { ...session, user: { id: session.user_id, workspace_id: session.workspace_id, email, name, role, password_hash, created_at: user_created_at } };
}

export async function deleteSession(db: Db | Tx, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

import type { OAuthStateTable } from './schema.js';
import type { Db, Tx } from './store.js';

export async function insertOAuthState(tx: Db | Tx, row: OAuthStateTable): Promise<void> {
  await tx.insertInto('oauth_states').values(row).execute();
}

/** An unused, unexpired state, without using it (to check who may finish it first). */
export async function findOAuthState(db: Db | Tx, stateHash: string, now: number): Promise<OAuthStateTable | undefined> {
  return db.selectFrom('oauth_states').selectAll().where('state_hash', '=', stateHash).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
}

/** Marks a state used and returns it, only if it was unused and unexpired: single use, even under races. */
export async function consumeOAuthState(tx: Tx, stateHash: string, now: number): Promise<OAuthStateTable | undefined> {
  const r = await tx
    .updateTable('oauth_states')
    .set({ used_at: now })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return tx.selectFrom('oauth_states').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
}

import type { Db, Tx } from './store.js';
import type { ApiKeyTable } from './schema.js';

export async function insertApiKey(tx: Tx, row: ApiKeyTable): Promise<void> {
  await tx.insertInto('api_keys').values(row).execute();
}

/** A key of this workspace only: another workspace's id reads as missing. */
export async function findApiKey(db: Db | Tx, workspaceId: string, id: string): Promise<ApiKeyTable | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** What a request's authentication needs: the key and its workspace's default country. */
export async function findKeyForAuth(db: Db | Tx, id: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('workspaces', 'workspaces.id', 'api_keys.workspace_id')
    .select(['api_keys.id', 'api_keys.workspace_id', 'api_keys.secret_hash', 'api_keys.scopes', 'api_keys.revoked_at', 'workspaces.default_country'])
    .where('api_keys.id', '=', id)
    .executeTakeFirst();
}

/** Newest first; revoked keys too, so the admin sees what was revoked and when. */
export async function listApiKeys(db: Db | Tx, workspaceId: string): Promise<ApiKeyTable[]> {
  return db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id').execute();
}

/**
 * Revokes at `at` a key that is live then: not revoked, or revoked later (a rotation's grace
 * period, which a revocation cuts short). Returns whether it changed anything.
 */
export async function revokeApiKey(tx: Tx, workspaceId: string, id: string, at: number): Promise<boolean> {
  const r = await tx
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Notes a use; skipped when one was noted in the last minute, so it is a write a minute at most. */
export async function touchApiKey(db: Db | Tx, id: string, now: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}

/** Sets when a live key stops (a rotation); false when it was revoked or rotated already. */
export async function retireApiKey(tx: Tx, workspaceId: string, id: string, at: number): Promise<boolean> {
  const r = await tx.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('workspace_id', '=', workspaceId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

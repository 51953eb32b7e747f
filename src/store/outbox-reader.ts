import type { OutboxTable } from './schema.js';
import type { Db, Tx } from './store.js';

/** Outbox rows of a workspace after a connection's cursor, in order. */
export async function readOutboxAfter(db: Db | Tx, workspaceId: string, afterId: number, limit: number): Promise<Pick<OutboxTable, 'entity_type' | 'entity_id' | 'change' | 'version'>[] & { id: number }[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'entity_type', 'entity_id', 'change', 'version'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

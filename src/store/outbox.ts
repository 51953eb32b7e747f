import { noteOutboxWrite, type Db, type Tx } from './store.js';
import type { OutboxTable } from './schema.js';
import { chunks } from './chunks.js';

export interface PendingChange {
  workspaceId: string;
  entityType: OutboxTable['entity_type'];
  entityId: string;
  change: OutboxTable['change'];
  version: number;
}

/** Written in the same transaction as the change itself (the transactional outbox). */
export async function enqueueChanges(tx: Tx, changes: PendingChange[], now = Date.now()): Promise<void> {
  if (changes.length > 0) noteOutboxWrite(tx);
  for (const part of chunks(changes, 300)) {
    await tx
      .insertInto('outbox')
      .values(
        part.map((c) => ({
          workspace_id: c.workspaceId,
          entity_type: c.entityType,
          entity_id: c.entityId,
          change: c.change,
          version: c.version,
          created_at: now,
          available_at: now,
          attempts: 0,
        })),
      )
      .execute();
  }
}

export async function countPendingChanges(db: Db | Tx, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

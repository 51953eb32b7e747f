import type { DealBody } from '../domain/deal.js';
import type { DealTable } from './schema.js';
import { writeJson, type Db, type Tx } from './store.js';
import { loadRecords } from './sync-reads.js';
import { upsertRows } from './upsert.js';

export interface DealRowInput {
  body: DealBody;
  hash: string;
  version: number;
  createdAt: number;
}

export async function saveDeals(tx: Tx, workspaceId: string, rows: DealRowInput[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'deals',
    rows.map(({ body, hash, version, createdAt }) => ({
      workspace_id: workspaceId,
      id: body.id,
      client_id: body.clientId,
      body: writeJson(body),
      content_hash: hash,
      version,
      created_at: createdAt,
      updated_at: now,
    })),
    ['workspace_id', 'id'],
    ['created_at'],
  );
}

export async function findDeal(db: Db | Tx, workspaceId: string, id: string): Promise<DealTable | undefined> {
  return db.selectFrom('deals').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export const loadDeals = (db: Db | Tx, workspaceId: string, ids: string[]) => loadRecords<DealBody>(db, 'deals', workspaceId, ids);

import type { DealBody } from '../domain/deal.js';
import { chunks } from './chunks.js';
import type { DealTable } from './schema.js';
import { readJson, writeJson, type Db, type Tx } from './store.js';
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

/** The stored bodies of these deals, with their versions. */
export async function loadDeals(db: Db | Tx, workspaceId: string, ids: string[]): Promise<Map<string, { body: DealBody; version: number }>> {
  const out = new Map<string, { body: DealBody; version: number }>();
  for (const part of chunks(ids, 400)) {
    const rows = await db.selectFrom('deals').select(['id', 'body', 'version']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, { body: readJson<DealBody>(r.body), version: r.version });
  }
  return out;
}

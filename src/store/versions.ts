import type { Db, Tx } from './store.js';
import { chunks } from './chunks.js';

/** The tables whose rows are whole documents with a content hash and a version. */
export type VersionedTable = 'clients' | 'companies' | 'conversations' | 'deals';

export interface StoredVersion {
  hash: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** What is stored now for these ids, so a write can tell created, updated and unchanged apart. */
export async function findVersions(db: Db | Tx, table: VersionedTable, workspaceId: string, ids: string[]): Promise<Map<string, StoredVersion>> {
  const out = new Map<string, StoredVersion>();
  for (const part of chunks([...new Set(ids)], 500)) {
    // The tables share these columns; Kysely needs one concrete name to type the row.
    const rows = await db
      .selectFrom(table as 'clients')
      .select(['id', 'content_hash', 'version', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, { hash: r.content_hash, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });
  }
  return out;
}

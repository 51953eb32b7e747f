import type { CompanyBody } from '../domain/company.js';
import { upsertRows } from './upsert.js';
import type { CompanyTable } from './schema.js';
import { chunks } from './chunks.js';
import { writeJson, type Db, type Tx } from './store.js';
import { loadRecords } from './sync-reads.js';

export interface CompanyRowInput {
  body: CompanyBody;
  hash: string;
  version: number;
  createdAt: number;
}

export async function saveCompanies(tx: Tx, workspaceId: string, rows: CompanyRowInput[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'companies',
    rows.map(({ body, hash, version, createdAt }) => ({
      workspace_id: workspaceId,
      id: body.id,
      name: body.name ?? null,
      domain: body.domain ?? null,
      external_account_id: body.externalAccountId ?? null,
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

export async function findCompany(db: Db | Tx, workspaceId: string, id: string): Promise<CompanyTable | undefined> {
  return db.selectFrom('companies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export const loadCompanies = (db: Db | Tx, workspaceId: string, ids: string[]) => loadRecords<CompanyBody>(db, 'companies', workspaceId, ids);

/**
 * A company reached this connection's CRM for the first time: its clients synced before it
 * are due again at once, so their contacts are associated with it now rather than at their
 * next change. Only settled clients are touched; pending ones pick the company up anyway.
 */
export async function requeueCompanyMembers(db: Db | Tx, workspaceId: string, connectionId: string, companyIds: string[], now: number): Promise<number> {
  let n = 0;
  for (const part of chunks(companyIds, 400)) {
    const members = db.selectFrom('clients').select('id').where('workspace_id', '=', workspaceId).where('company_id', 'in', part);
    const r = await db
      .updateTable('sync_items')
      .set({ synced_version: 0, due_at: now, updated_at: now })
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', 'client')
      .where('state', '=', 'synced')
      .where('entity_id', 'in', members)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

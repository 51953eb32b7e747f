import type { CompanyBody } from '../domain/company.js';
import { upsertRows } from './upsert.js';
import type { CompanyTable } from './schema.js';
import { writeJson, type Db, type Tx } from './store.js';

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

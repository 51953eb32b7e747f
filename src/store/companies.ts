import type { CompanyBody } from '../domain/company.js';
import { chunks } from './chunks.js';
import type { CompanyTable } from './schema.js';
import { writeJson, type Db, type Tx } from './store.js';

export interface CompanyRowInput {
  body: CompanyBody;
  hash: string;
  version: number;
  createdAt: number;
}

export async function saveCompanies(tx: Tx, workspaceId: string, rows: CompanyRowInput[], now: number): Promise<void> {
  for (const part of chunks(rows, 100)) {
    await tx
      .insertInto('companies')
      .values(
        part.map(({ body, hash, version, createdAt }) => ({
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
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          domain: eb.ref('excluded.domain'),
          external_account_id: eb.ref('excluded.external_account_id'),
          body: eb.ref('excluded.body'),
          content_hash: eb.ref('excluded.content_hash'),
          version: eb.ref('excluded.version'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function findCompany(db: Db | Tx, workspaceId: string, id: string): Promise<CompanyTable | undefined> {
  return db.selectFrom('companies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

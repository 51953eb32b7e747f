import { normalizeCompany, type CompanyBody, type CompanyInput } from '../domain/company.js';
import { contentHash } from '../domain/hash.js';
import { saveCompanies } from '../store/companies.js';
import { enqueueChanges } from '../store/outbox.js';
import type { Tx } from '../store/store.js';
import { findVersions } from '../store/versions.js';
import { lockRecords } from '../store/entity-locks.js';
import { collect, planWrites, type Prepared, type StampedResult } from './types.js';

export function prepareCompanies(items: { id: string; input: CompanyInput; path: string }[]): Prepared<CompanyBody> {
  return collect(
    items.map((i) => {
      const r = normalizeCompany(i.id, i.input, i.path);
      return r.ok ? { ok: true as const, value: r.body } : r;
    }),
  );
}

export async function applyCompanies(tx: Tx, workspaceId: string, bodies: CompanyBody[], now: number): Promise<StampedResult[]> {
  await lockRecords(tx, 'companies', workspaceId, bodies.map((b) => b.id));
  const stored = await findVersions(tx, 'companies', workspaceId, bodies.map((b) => b.id));
  const { results, changed } = planWrites(bodies, stored, contentHash, now);
  if (changed.length) {
    await saveCompanies(tx, workspaceId, changed, now);
    await enqueueChanges(
      tx,
      changed.map((c) => ({ workspaceId, entityType: 'company', entityId: c.body.id, change: c.created ? 'created' : 'updated', version: c.version })),
      now,
    );
  }
  return results;
}

import { CrmError } from '../connectors/errors.js';
import type { CanonicalCompany, CrmRef } from '../connectors/outbound.js';
import { loadCompanies, requeueCompanyMembers } from '../store/companies.js';
import { findLinks } from '../store/links.js';
import type { SyncItemTable } from '../store/schema.js';
import { companyFromBody } from './canonical.js';
import { actionFor, type SyncRun } from './run.js';

/** How long a client waits for its company to be synced before it is tried again. */
export const WAIT_FOR_COMPANY_MS = 2_000;

/** Why this connection does not sync companies, or undefined when it does. */
export function companiesOff(run: SyncRun): string | undefined {
  if (!run.connector.matchCompanies || !run.connector.upsertCompanies) return `companies are not synced to ${run.crmName}`;
  if (!run.settings.objects.companies) return 'companies are turned off for this connection';
  return undefined;
}

/**
 * Syncs companies as the CRM's companies or accounts (PRODUCT.md Y4), before clients so that
 * a contact can be associated with its company in the same pass: link, or match (external
 * account id, then domain), then the connector's batched upsert. Each company ends synced,
 * skipped (with why, one log line per company version), failed (with what to fix) or deferred.
 */
export async function syncCompanies(run: SyncRun, items: SyncItemTable[]): Promise<void> {
  if (!items.length) return;
  const off = companiesOff(run);
  const ws = run.connection.workspace_id;
  const companies = await loadCompanies(run.store.db, ws, items.map((i) => i.entity_id));
  const links = await findLinks(run.store.db, run.connection.id, 'company', [...companies.keys()]);

  const ready: { item: SyncItemTable; version: number; company: CanonicalCompany; existing?: CrmRef }[] = [];
  for (const item of items) {
    const company = companies.get(item.entity_id);
    if (!company) {
      run.settle(item, item.pending_version, 'skipped', 'the company no longer exists');
      continue;
    }
    if (off) {
      run.log({ operation: 'sync_company', entity_type: 'company', entity_id: company.body.id, client_id: null, status: 'skipped', crm_record_id: null, message: off, action: null });
      run.settle(item, company.version, 'skipped', off);
      continue;
    }
    const link = links.get(company.body.id);
    ready.push({ item, version: company.version, company: companyFromBody(company.body), existing: link && { object: link.crmObject, id: link.crmId } });
  }
  if (!ready.length) return;

  const unlinked = ready.filter((r) => !r.existing).map((r) => r.company);
  if (unlinked.length) {
    const matches = await run.connector.matchCompanies!(run.ctx, unlinked);
    for (const r of ready) r.existing ??= matches.get(r.company.companyId);
  }

  const allowCreate = run.settings.writePolicy === 'create_and_update';
  for (let i = 0; i < ready.length; i += run.connector.batchSize) {
    const batch = ready.slice(i, i + run.connector.batchSize);
    const outcomes = await run.connector.upsertCompanies!(
      run.ctx,
      batch.map((r) => ({ company: r.company, existing: r.existing, allowCreate })),
    );
    const linked: string[] = [];
    for (const [j, r] of batch.entries()) {
      const o = outcomes[j] ?? { ok: false as const, error: new CrmError('unavailable', 'the CRM gave no answer for this company') };
      const base = { entity_type: 'company', entity_id: r.company.companyId, client_id: null } as const;
      if (o.ok) {
        run.link(r.item, { entityType: 'company', entityId: r.company.companyId, crmObject: o.ref.object, crmId: o.ref.id });
        linked.push(r.company.companyId);
        run.log({ ...base, operation: o.created ? 'create_company' : 'update_company', status: 'success', crm_record_id: o.ref.id, message: null, action: null });
        run.settle(r.item, r.version, 'synced', null);
      } else if (o.error.kind === 'not_found' && !allowCreate && !r.existing) {
        const why = `update only: no matching company in ${run.crmName}`;
        run.log({ ...base, operation: 'sync_company', status: 'skipped', crm_record_id: null, message: why, action: null });
        run.settle(r.item, r.version, 'skipped', why);
      } else if (o.error.retryable) {
        run.defer(r.item, o.error);
      } else {
        run.log({ ...base, operation: r.existing ? 'update_company' : 'create_company', status: 'failed', crm_record_id: r.existing?.id ?? null, message: o.error.message, action: actionFor(o.error, run.crmName) });
        run.settle(r.item, r.version, 'failed', o.error.message);
      }
    }
    // The links first: a client requeued below must find its company's record.
    await run.commit();
    const firstTime = linked.filter((id) => !links.has(id));
    if (firstTime.length) await requeueCompanyMembers(run.store.db, ws, run.connection.id, firstTime, run.now());
  }
}

/** Where each client's company stands in this CRM: its record, or a company still to be synced that the client should wait for. */
export interface ClientCompany {
  ref?: CrmRef;
  name?: string;
  /** The company is still pending here: the client waits for it, as a conversation waits for its client. */
  waitFor?: string;
}

/** The companies of these clients (client id -> company id), as synced to this connection. */
export async function clientCompanies(run: SyncRun, companyOf: Map<string, string>): Promise<Map<string, ClientCompany>> {
  const out = new Map<string, ClientCompany>();
  const companyIds = [...new Set(companyOf.values())];
  if (!companyIds.length || companiesOff(run)) return out;
  const links = await findLinks(run.store.db, run.connection.id, 'company', companyIds);
  const bodies = await loadCompanies(run.store.db, run.connection.workspace_id, companyIds);
  const pending = await run.store.db
    .selectFrom('sync_items')
    .select('entity_id')
    .where('connection_id', '=', run.connection.id)
    .where('entity_type', '=', 'company')
    .where('entity_id', 'in', companyIds)
    .where('state', '=', 'pending')
    .execute();
  const waiting = new Set(pending.map((p) => p.entity_id));
  for (const [clientId, companyId] of companyOf) {
    const link = links.get(companyId);
    const name = bodies.get(companyId)?.body.name;
    if (link) out.set(clientId, { ref: { object: link.crmObject, id: link.crmId }, name });
    // A company never synced here and still pending: wait. One already linked is used even while an update of it is pending.
    else if (waiting.has(companyId)) out.set(clientId, { waitFor: companyId, name });
    else out.set(clientId, { name });
  }
  return out;
}

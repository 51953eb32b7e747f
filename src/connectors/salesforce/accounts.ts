import { normalizeDomain } from '../../domain/contact-points.js';
import { CrmError } from '../errors.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { SALESFORCE } from './api.js';
import { writeCollection, type SObjectRecord, type WriteResult } from './collections.js';
import { chunkForQuery, inList, query } from './soql.js';

type Item = { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean };

const ref = (id: string): CrmRef => ({ object: 'Account', id });

/** How people type a domain into Account.Website: bare, with www., with a scheme, with a slash. */
function websiteSpellings(domain: string): string[] {
  const hosts = [domain, `www.${domain}`];
  return [...hosts, ...hosts.flatMap((h) => [`http://${h}`, `https://${h}`]), ...hosts.flatMap((h) => [`http://${h}/`, `https://${h}/`])];
}

/**
 * Finds the Account of each company: the one crm-sync created for it (CrmSync_Id__c, the
 * crm-sync package's external id on Account), then by Website, read back as a domain (the
 * oldest Account wins). Salesforce has no field crm-sync knows to hold the platform's account
 * ids, so those are not matched here; SOQL reads the database directly (no index lag).
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  for (const chunk of chunkForQuery(companies, (c) => [c.companyId])) {
    const records = await query(ctx, `SELECT Id, ${SALESFORCE.externalIdField} FROM Account WHERE ${SALESFORCE.externalIdField} IN ${inList(chunk.map((c) => c.companyId))}`);
    for (const r of records) {
      const mine = chunk.find((c) => c.companyId === r[SALESFORCE.externalIdField]);
      if (mine && r.Id) found.set(mine.companyId, ref(r.Id));
    }
  }
  const byDomain = companies.filter((c) => !found.has(c.companyId) && c.domain);
  for (const chunk of chunkForQuery(byDomain, (c) => websiteSpellings(c.domain!))) {
    const spellings = [...new Set(chunk.flatMap((c) => websiteSpellings(c.domain!)))];
    const records = await query(ctx, `SELECT Id, Website FROM Account WHERE Website IN ${inList(spellings)} ORDER BY CreatedDate ASC`);
    for (const c of chunk) {
      const hit = records.find((r) => typeof r.Website === 'string' && normalizeDomain(r.Website) === c.domain);
      if (hit?.Id) found.set(c.companyId, ref(hit.Id));
    }
  }
  return found;
}

/**
 * Matched Accounts are updated by id with what we know (Name, Website); new ones are upserted
 * on CrmSync_Id__c = company id, so a replay after an unanswered call updates the Account it
 * made instead of creating a second. Name is required: the domain or the id stands in for it.
 */
export async function upsertCompanies(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const updates: { index: number; record: SObjectRecord }[] = [];
  const creates: { index: number; record: SObjectRecord }[] = [];
  items.forEach(({ company, existing, allowCreate }, index) => {
    const values = accountValues(company);
    if (existing?.object === 'Account') updates.push({ index, record: { object: 'Account', values: { id: existing.id, ...values } } });
    else if (allowCreate) {
      const Name = values.Name ?? company.domain ?? `Company ${company.companyId}`;
      creates.push({ index, record: { object: 'Account', values: { ...values, Name, [SALESFORCE.externalIdField]: company.companyId } } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No Salesforce Account matches company ${company.companyId}, and this connection only updates existing records.`) };
    }
  });
  const apply = (batch: { index: number; record: SObjectRecord }[], results: WriteResult[]) =>
    batch.forEach(({ index }, i) => {
      const r = results[i] as WriteResult;
      outcomes[index] = r.ok ? { ok: true, ref: ref(r.id), created: r.created } : r;
    });
  apply(updates, await writeCollection(ctx, { kind: 'update' }, updates.map((u) => u.record)));
  apply(creates, await writeCollection(ctx, { kind: 'upsert', object: 'Account', externalIdField: SALESFORCE.externalIdField }, creates.map((c) => c.record)));
  return outcomes as RecordOutcome[];
}

/** Only known values (the merge rule); mapped properties last, as the admin's explicit choice. */
function accountValues(c: CanonicalCompany): Record<string, string | number | boolean> {
  return { ...(c.name ? { Name: c.name } : {}), ...(c.domain ? { Website: c.domain } : {}), ...c.properties };
}

import { CrmError } from '../errors.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { chunk, failure, fetchParsed, send } from './api.js';
import { writeBatch, type BatchInput, type BatchResult } from './batch.js';
import { BATCH_SIZE, CRM_NAME, SEARCH } from './facts.js';
import { readByUniqueProperty } from './reads.js';
import { SearchAnswer, type HubSpotObject } from './schemas.js';

/**
 * Companies' facts (kept beside the code that uses them). Two unique custom properties, made
 * on demand: our company id (what makes a replay update instead of create) and the platform's
 * own account id (PRODUCT.md Y4; seed 003: the admin's account ids, matched first).
 */
export const COMPANY_ID_PROPERTY = 'crm_sync_company_id';
export const ACCOUNT_ID_PROPERTY = 'crm_sync_account_id';
const COMPANY_PROPERTIES = [
  { name: COMPANY_ID_PROPERTY, label: 'crm-sync company id' },
  { name: ACCOUNT_ID_PROPERTY, label: 'crm-sync account id' },
];
const PATH = '/crm/v3/objects/companies/batch';
const ref = (id: string): CrmRef => ({ object: 'companies', id });

export interface CompanyWrite {
  company: CanonicalCompany;
  existing?: CrmRef;
  allowCreate: boolean;
}

/**
 * A unique custom text property on an object, created once per portal (remembered in the
 * connection's cache); 409 means it exists already. `hasUniqueValue` lets `batch/read` find a
 * record by it directly, past the lagging search index.
 */
export async function ensureUniqueProperty(ctx: OutboundContext, object: string, name: string, label: string, groupName: string): Promise<void> {
  const cacheKey = `hubspot:property:${object}:${name}`;
  if (ctx.cache.get(cacheKey) === true) return;
  const res = await send(ctx, {
    method: 'POST',
    path: `/crm/v3/properties/${object}`,
    body: { name, label, type: 'string', fieldType: 'text', groupName, hasUniqueValue: true, formField: false, description: 'Written by crm-sync to find its records again. Do not edit.' },
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw failure(res);
  ctx.cache.set(cacheKey, true);
}

const ensureCompanyProperties = async (ctx: OutboundContext) => {
  for (const p of COMPANY_PROPERTIES) await ensureUniqueProperty(ctx, 'companies', p.name, p.label, 'companyinformation');
};

/**
 * Finds HubSpot companies: the one crm-sync wrote for this company id (read directly), then
 * by the platform's account id, then by domain (search; the oldest company wins).
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const matched = new Map<string, CrmRef>();
  if (!companies.length) return matched;
  await ensureCompanyProperties(ctx);
  const open = () => companies.filter((c) => !matched.has(c.companyId));
  const mine = await readByUniqueProperty(ctx, 'companies', COMPANY_ID_PROPERTY, companies.map((c) => c.companyId));
  for (const c of companies) if (mine.has(c.companyId)) matched.set(c.companyId, ref(mine.get(c.companyId)!.id));

  const byAccount = await readByUniqueProperty(ctx, 'companies', ACCOUNT_ID_PROPERTY, open().flatMap((c) => (c.externalAccountId ? [c.externalAccountId] : [])));
  for (const c of open()) {
    const found = c.externalAccountId ? byAccount.get(c.externalAccountId) : undefined;
    if (found) matched.set(c.companyId, ref(found.id));
  }

  const byDomain = await searchByDomain(ctx, [...new Set(open().flatMap((c) => (c.domain ? [c.domain] : [])))]);
  for (const c of open()) {
    const id = c.domain ? byDomain.get(c.domain) : undefined;
    if (id) matched.set(c.companyId, ref(id));
  }
  return matched;
}

/** domain -> company id; HubSpot keeps domains lower-case without scheme or path, as we do. */
async function searchByDomain(ctx: OutboundContext, domains: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunk(domains, SEARCH.inValues)) {
    const page = await fetchParsed(
      ctx,
      {
        method: 'POST',
        path: '/crm/v3/objects/companies/search',
        body: { filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values: part }] }], properties: ['domain'], limit: SEARCH.pageSize, sorts: [] },
      },
      SearchAnswer,
    );
    for (const r of page.results.sort((a, b) => Number(a.id) - Number(b.id))) {
      const domain = r.properties.domain?.toLowerCase();
      if (domain && !found.has(domain)) found.set(domain, r.id);
    }
  }
  return found;
}

/**
 * Creates or updates companies, idempotent by company id: known records are updated by id;
 * new ones are first looked for by `crm_sync_company_id` (an earlier attempt may have created
 * one without answering), then created carrying it. Only known values are sent (merge rule).
 */
export async function upsertCompanies(ctx: OutboundContext, items: CompanyWrite[]): Promise<RecordOutcome[]> {
  if (!items.length) return [];
  await ensureCompanyProperties(ctx);
  const outcomes = new Map<CompanyWrite, RecordOutcome>();
  const written = await readByUniqueProperty(ctx, 'companies', COMPANY_ID_PROPERTY, items.filter((i) => !i.existing).map((i) => i.company.companyId));
  const toUpdate: { item: CompanyWrite; id: string }[] = [];
  const toCreate: CompanyWrite[] = [];
  for (const item of items) {
    const id = item.existing?.id ?? written.get(item.company.companyId)?.id;
    if (id) toUpdate.push({ item, id });
    else if (item.allowCreate) toCreate.push(item);
    else outcomes.set(item, { ok: false, error: new CrmError('not_found', `No ${CRM_NAME} company matches company ${item.company.companyId}, and the connection only updates existing records (write policy "update only").`) });
  }
  const keyOf = (o: HubSpotObject) => o.properties[COMPANY_ID_PROPERTY] ?? undefined;
  for (const part of chunk(toUpdate, BATCH_SIZE)) {
    const inputs = part.map(({ item, id }): BatchInput => ({ key: item.company.companyId, id, properties: companyProperties(item.company), body: { id, properties: companyProperties(item.company) } }));
    const results = await writeBatch(ctx, { path: `${PATH}/update`, what: 'company', keyOf }, inputs);
    part.forEach(({ item }, i) => {
      const r = results[i] as BatchResult;
      // A linked company deleted in HubSpot is created again when the policy allows creating.
      if (!r.ok && r.error.kind === 'not_found' && item.allowCreate) toCreate.push(item);
      else outcomes.set(item, outcome(r, false));
    });
  }
  for (const part of chunk(toCreate, BATCH_SIZE)) {
    const inputs = part.map((item): BatchInput => {
      const properties = companyProperties(item.company);
      return { key: item.company.companyId, properties, body: { properties, associations: [], objectWriteTraceId: item.company.companyId } };
    });
    const results = await writeBatch(ctx, { path: `${PATH}/create`, what: 'company', keyOf }, inputs);
    part.forEach((item, i) => outcomes.set(item, outcome(results[i] as BatchResult, true)));
  }
  return items.map((i) => outcomes.get(i) ?? { ok: false, error: new CrmError('unavailable', `${CRM_NAME} did not report on this company; crm-sync will retry.`) });
}

function companyProperties(c: CanonicalCompany): Record<string, string> {
  const p: Record<string, string> = { [COMPANY_ID_PROPERTY]: c.companyId };
  if (c.name) p.name = c.name;
  if (c.domain) p.domain = c.domain;
  if (c.externalAccountId) p[ACCOUNT_ID_PROPERTY] = c.externalAccountId;
  for (const [k, v] of Object.entries(c.properties)) p[k] = String(v);
  return p;
}

function outcome(r: BatchResult, created: boolean): RecordOutcome {
  return r.ok ? { ok: true, ref: ref(r.object.id), created } : { ok: false, error: r.error };
}

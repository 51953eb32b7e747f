import { CrmError } from '../errors.js';
import { outcomeOf } from '../record-outcome.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callPipedrive, mayHaveCommitted, PIPEDRIVE, searchIds, v2 } from './api.js';
import { fieldsOf, ownFieldKey } from './own-fields.js';
import { aboutToCreate, createdByUncertainAttempt, settled } from './recent.js';
import { Created, Ignored, OrganizationV2 } from './schemas.js';

export const ORGANIZATION = 'organization';
type Item = { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean };

/** Our three organization fields, created on demand. */
async function keys(ctx: OutboundContext) {
  return {
    companyId: await ownFieldKey(ctx, ORGANIZATION, PIPEDRIVE.companyIdFieldName),
    account: await ownFieldKey(ctx, ORGANIZATION, PIPEDRIVE.accountIdFieldName),
    domain: await ownFieldKey(ctx, ORGANIZATION, PIPEDRIVE.domainFieldName),
  };
}

const read = async (ctx: OutboundContext, id: number) => (await callPipedrive(ctx, { url: v2(ctx, `/organizations/${id}`) }, OrganizationV2)).data;
const same = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The organization whose field `key` holds `value` (search finds candidates; the record decides). */
async function byField(ctx: OutboundContext, key: string, value: string): Promise<number | undefined> {
  for (const id of await searchIds(ctx, 'organizations', value, 'custom_fields')) if (same((await read(ctx, id)).custom_fields?.[key], value)) return id;
  return undefined;
}

/**
 * Finds each company's organization: by the platform's account id (in the "External account id"
 * field), then by web domain (the "Domain" field), then by exact name. Of several hits the first
 * verified one is taken, so every run picks the same.
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const k = await keys(ctx);
  const found = new Map<string, CrmRef>();
  for (const c of companies) {
    let id: number | undefined;
    if (c.externalAccountId?.trim()) id = await byField(ctx, k.account, c.externalAccountId.trim());
    if (id === undefined && c.domain?.trim()) id = await byField(ctx, k.domain, c.domain.trim());
    if (id === undefined && c.name?.trim()) {
      for (const hit of await searchIds(ctx, 'organizations', c.name.trim(), 'name')) {
        if (same((await read(ctx, hit)).name, c.name)) {
          id = hit;
          break;
        }
      }
    }
    if (id !== undefined) found.set(c.companyId, { object: ORGANIZATION, id: String(id) });
  }
  return found;
}

/**
 * Organizations one by one (no batch endpoint), so a bad record fails alone. A matched or
 * linked organization is updated with only what differs; a new company is created with its
 * company id in "crm-sync company id", noted in the ledger first so that a retry after a
 * timeout finds it though search does not show it yet.
 */
export async function upsertCompanies(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const item of items) outcomes.push(await outcomeOf(() => upsertOne(ctx, item)));
  return outcomes;
}

async function upsertOne(ctx: OutboundContext, { company, existing, allowCreate }: Item): Promise<RecordOutcome> {
  if (existing && existing.object !== ORGANIZATION)
    return { ok: false, error: new CrmError('invalid', `Pipedrive ${existing.object} ${existing.id} is not an organization; crm-sync writes companies to organizations.`) };
  const k = await keys(ctx);
  const custom: Record<string, unknown> = { ...(await mappedFields(ctx, company.properties)) };
  if (company.externalAccountId?.trim()) custom[k.account] = company.externalAccountId.trim();
  if (company.domain?.trim()) custom[k.domain] = company.domain.trim();
  const ledgerKey = `company:${company.companyId}`;
  const mine = (o: OrganizationV2) => o.custom_fields?.[k.companyId] === company.companyId;
  let id = existing ? Number(existing.id) : (await createdByUncertainAttempt(ctx, 'organizations', ledgerKey, OrganizationV2, mine))?.id;
  if (id === undefined) id = await byField(ctx, k.companyId, company.companyId);

  if (id !== undefined) {
    const current = await read(ctx, id);
    // An organization another company already claimed keeps its company id.
    if (!current.custom_fields?.[k.companyId]) custom[k.companyId] = company.companyId;
    const changes: Record<string, unknown> = {};
    if (company.name?.trim() && company.name.trim() !== current.name) changes.name = company.name.trim();
    const changed = Object.fromEntries(Object.entries(custom).filter(([key, v]) => JSON.stringify(current.custom_fields?.[key]) !== JSON.stringify(v)));
    if (Object.keys(changed).length) changes.custom_fields = changed;
    if (Object.keys(changes).length) await callPipedrive(ctx, { method: 'PATCH', url: v2(ctx, `/organizations/${id}`), body: changes }, Ignored);
    return { ok: true, ref: { object: ORGANIZATION, id: String(id) }, created: false };
  }
  if (!allowCreate) return { ok: false, error: new CrmError('not_found', `No Pipedrive organization matches company ${company.companyId}, and this connection only updates existing records.`) };

  const name = company.name?.trim() || company.domain?.trim() || company.companyId;
  await aboutToCreate(ctx, 'organizations', ledgerKey);
  let created: { id: number };
  try {
    created = (await callPipedrive(ctx, { method: 'POST', url: v2(ctx, '/organizations'), body: { name, custom_fields: { ...custom, [k.companyId]: company.companyId } } }, Created)).data;
  } catch (err) {
    if (!mayHaveCommitted(err)) await settled(ctx, 'organizations', ledgerKey);
    throw err;
  }
  await settled(ctx, 'organizations', ledgerKey);
  return { ok: true, ref: { object: ORGANIZATION, id: String(created.id) }, created: true };
}

/** Mapped company properties by organization field name or key; an unknown one fails the record, naming it. */
async function mappedFields(ctx: OutboundContext, properties: Record<string, string | number | boolean>): Promise<Record<string, unknown>> {
  const entries = Object.entries(properties);
  if (entries.length === 0) return {};
  const fields = await fieldsOf(ctx, ORGANIZATION);
  const out: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const field = fields.find((f) => f.key === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw new CrmError('invalid', `Pipedrive refused ${name} = ${JSON.stringify(value)}: Pipedrive has no custom organization field by that name or key.`);
    out[field.key] = typeof value === 'boolean' ? String(value) : value;
  }
  return out;
}

import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { anyOf, callOdoo, chunks, createSplitting, searchRead } from './api.js';
import { ODOO } from './facts.js';
import { partnerFields, refusal } from './fields.js';
import { rowWith, Text, Written } from './schemas.js';

type Item = { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean };
const CompanyRow = rowWith({ name: Text, ref: Text, website: Text });
type CompanyRow = z.infer<typeof CompanyRow>;
const PARTNER = 'res.partner';
const FIELDS = ['name', 'ref', 'website'];

const keyOf = (companyId: string) => `${ODOO.companyKeyPrefix}${companyId}`;
/** A website as its bare host: `https://www.Acme.io/about` -> `acme.io`. */
export const domainOf = (website: unknown): string | undefined => {
  if (typeof website !== 'string' || !website.trim()) return undefined;
  const host = website.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split(/[/?#:]/)[0];
  return host ? host.replace(/^www\./, '') : undefined;
};
const cleanDomain = (c: CanonicalCompany) => domainOf(c.domain);
const refOf = (row: CompanyRow | undefined): CrmRef | undefined => (row ? { object: PARTNER, id: String(row.id) } : undefined);
const accountOf = (c: CanonicalCompany) => c.externalAccountId?.trim() || undefined;

/** Company partners (is_company, archived ones too) whose ref is one of these, or whose website mentions one of these domains. */
async function candidates(ctx: OutboundContext, refs: string[], domains: string[]): Promise<CompanyRow[]> {
  const leaves = [...(refs.length ? [['ref', 'in', refs]] : []), ...domains.map((d) => ['website', 'ilike', d])];
  if (leaves.length === 0) return [];
  return searchRead(ctx, PARTNER, ['&', ['is_company', '=', true], ...anyOf(leaves)], FIELDS, CompanyRow, { order: 'id asc', context: { active_test: false } });
}

/**
 * Finds each company's partner: by our key in `ref`, then by the platform's account id in `ref`
 * (where an admin keeps account numbers as the Internal Reference), then by website domain.
 * One search per chunk; the oldest partner wins so every run picks the same one.
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  for (const chunk of chunks(companies, ODOO.searchChunk / 4)) {
    const refs = chunk.flatMap((c) => [keyOf(c.companyId), ...(accountOf(c) ? [accountOf(c)!] : [])]);
    const rows = await candidates(ctx, refs, [...new Set(chunk.flatMap((c) => (cleanDomain(c) ? [cleanDomain(c)!] : [])))]);
    for (const c of chunk) {
      const hit =
        rows.find((r) => r.ref === keyOf(c.companyId)) ??
        (accountOf(c) ? rows.find((r) => r.ref === accountOf(c)) : undefined) ??
        (cleanDomain(c) ? rows.find((r) => domainOf(r.website) === cleanDomain(c)) : undefined);
      if (hit) found.set(c.companyId, { object: PARTNER, id: String(hit.id) });
    }
  }
  return found;
}

/**
 * Matched or linked company partners get only what we know and they lack or differ in (name,
 * website by domain, mapped fields), and our key in `ref` when theirs is empty; new companies are
 * created 100 per call with our key in `ref`. Before creating, the keys are looked up: Odoo's
 * searches read the database, so a company saved by a create whose answer was lost is found.
 */
export async function upsertCompanies(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let fields, current: Map<number, CompanyRow>;
  let existing: (CrmRef | undefined)[];
  try {
    fields = await partnerFields(ctx);
    const keyed = await candidates(ctx, items.filter((i) => !i.existing).map((i) => keyOf(i.company.companyId)), []);
    existing = items.map((i) => i.existing ?? refOf(keyed.find((r) => r.ref === keyOf(i.company.companyId))));
    const ids = [...new Set(existing.flatMap((e) => (e?.object === PARTNER ? [Number(e.id)] : [])))];
    // search_read, not read: a deleted partner is then absent for its item alone, not a MissingError for all.
    current = new Map((ids.length ? await searchRead(ctx, PARTNER, [['id', 'in', ids]], FIELDS, CompanyRow, { context: { active_test: false } }) : []).map((r) => [r.id, r]));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }

  const creates: { index: number; values: Record<string, unknown> }[] = [];
  for (const [index, { company: c, allowCreate }] of items.entries()) {
    const ref = existing[index];
    const refused = refusal(fields, c.properties);
    if (refused) {
      outcomes[index] = { ok: false, error: refused };
      continue;
    }
    const values: Record<string, unknown> = { ...(c.name?.trim() ? { name: c.name.trim() } : {}), ...(cleanDomain(c) ? { website: `https://${cleanDomain(c)}` } : {}), ...c.properties };
    if (ref && ref.object !== PARTNER) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `Odoo ${ref.object} ${ref.id} is not a company (res.partner); crm-sync writes companies to company contacts.`) };
    } else if (ref) {
      const row = current.get(Number(ref.id));
      if (!row) {
        outcomes[index] = { ok: false, error: new CrmError('not_found', `Odoo has no company res.partner ${ref.id} any more (deleted?); it was linked to company ${c.companyId}.`) };
        continue;
      }
      outcomes[index] = await update(ctx, row, c, values);
    } else if (allowCreate) {
      creates.push({ index, values: { name: c.name?.trim() || cleanDomain(c) || c.companyId, ...values, is_company: true, ref: keyOf(c.companyId) } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No Odoo company matches company ${c.companyId}, and this connection only updates existing records.`) };
    }
  }
  for (const chunk of chunks(creates, ODOO.batchSize)) {
    const results = await createSplitting(ctx, PARTNER, chunk.map((c) => c.values));
    chunk.forEach((c, i) => {
      const r = results[i] as number | CrmError;
      outcomes[c.index] = typeof r === 'number' ? { ok: true, ref: { object: PARTNER, id: String(r) }, created: true } : { ok: false, error: r };
    });
  }
  return outcomes as RecordOutcome[];
}

/** Writes what differs; a website with the same domain (http, www, a path) is left as the admin typed it. */
async function update(ctx: OutboundContext, row: CompanyRow, c: CanonicalCompany, values: Record<string, unknown>): Promise<RecordOutcome> {
  const changes = { ...values };
  if (changes.name === row.name) delete changes.name;
  if (domainOf(row.website) === cleanDomain(c)) delete changes.website;
  // A company another id already claimed (or whose ref is the account number) keeps its ref.
  if (!row.ref) changes.ref = keyOf(c.companyId);
  try {
    if (Object.keys(changes).length) await callOdoo(ctx, PARTNER, 'write', { ids: [row.id], vals: changes }, true, Written);
    return { ok: true, ref: { object: PARTNER, id: String(row.id) }, created: false };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}

import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callOdoo, chunks, createSplitting, ODOO, searchRead } from './api.js';
import { PARTNER_KEY, partnerFields, refusal } from './fields.js';
import { companyIds, countryIds, partnerValues, type Values } from './partner-values.js';
import { Row, Written } from './schemas.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };
const PARTNER = 'res.partner';

/**
 * Matched partners are updated with `write` (only the fields we know); new clients are
 * created with `create` (vals_list, 100 per call) carrying our key. Before creating we look up
 * the keys an earlier attempt may have written (`maybeWritten` not false): Odoo's searches read
 * the database, so a partner saved by a create whose answer was lost is found, and the replay
 * updates it instead of creating a second one.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let fields, countries: Map<string, number>, companies: Map<string, number>, keyed: Map<string, number>;
  try {
    fields = await partnerFields(ctx);
    countries = await countryIds(ctx, items.flatMap((i) => (i.contact.address?.country ? [i.contact.address.country] : [])));
    companies = await companyIds(ctx, items.flatMap((i) => (i.contact.company && !syncedCompany(i.contact) ? [i.contact.company] : [])));
    // Only where an earlier attempt may have committed unanswered: nothing else can carry our key yet.
    keyed = await partnersByKey(ctx, items.filter((i) => !i.existing && i.allowCreate && i.contact.maybeWritten !== false).map((i) => i.contact.clientId));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }

  const creates: { index: number; values: Values }[] = [];
  const updates: { index: number; id: number; values: Values }[] = [];
  items.forEach(({ contact: c, existing, allowCreate }, index) => {
    const refused = refusal(fields, c.properties);
    if (refused) return void (outcomes[index] = { ok: false, error: refused });
    const values = partnerValues(c, { countryId: c.address?.country ? countries.get(c.address.country) : undefined, companyId: syncedCompany(c) ?? (c.company ? companies.get(c.company.trim()) : undefined) });
    const id = existing ? Number(existing.id) : keyed.get(c.clientId);
    if (existing && existing.object !== PARTNER) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `Odoo ${existing.object} ${existing.id} is not a contact (res.partner); crm-sync only writes clients to contacts.`) };
    } else if (id !== undefined) {
      updates.push({ index, id, values });
    } else if (allowCreate) {
      creates.push({ index, values: { name: c.firstName || c.lastName || c.fallbackName, ...values, [PARTNER_KEY.field]: PARTNER_KEY.value(c.clientId) } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No Odoo contact matches client ${c.clientId}, and this connection only updates existing records.`) };
    }
  });

  for (const u of updates) {
    try {
      // Odoo's write gives the same values to every id, so each partner is its own call.
      if (Object.keys(u.values).length > 0) await callOdoo(ctx, PARTNER, 'write', { ids: [u.id], vals: u.values }, true, Written);
      outcomes[u.index] = { ok: true, ref: { object: PARTNER, id: String(u.id) }, created: false };
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      outcomes[u.index] = { ok: false, error: err };
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

/** The company partner the engine already synced for this client (PRODUCT.md Y4): it wins over a company found by name. */
const syncedCompany = (c: CanonicalContact): number | undefined => (c.companyRef?.object === PARTNER ? Number(c.companyRef.id) : undefined);

/** Client id -> partner id, for the partners carrying our key. */
async function partnersByKey(ctx: OutboundContext, clientIds: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunks([...new Set(clientIds)], ODOO.searchChunk)) {
    const rows = await searchRead(ctx, PARTNER, PARTNER_KEY.domain(chunk), [PARTNER_KEY.field], Row, { order: 'id asc', context: { active_test: false } });
    for (const r of rows) {
      const id = PARTNER_KEY.read(r.ref);
      if (id !== undefined && !found.has(id)) found.set(id, r.id);
    }
  }
  return found;
}

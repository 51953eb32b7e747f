import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callOdoo, chunks, ODOO, searchRead } from './api.js';
import { PARTNER_KEY, partnerFields, refusal } from './fields.js';
import { companyIds, countryIds, partnerValues, type Values } from './partner-values.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };
const PARTNER = 'res.partner';

/**
 * Matched partners are updated with `write` (only the fields we know); new clients are
 * created with `create` (vals_list, 100 per call) carrying our key. Before creating we look
 * the keys up: Odoo's searches read the database, so a partner saved by a create whose answer
 * was lost is found, and the replay updates it instead of creating a second one.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let fields, countries: Map<string, number>, companies: Map<string, number>, keyed: Map<string, number>;
  try {
    fields = await partnerFields(ctx);
    countries = await countryIds(ctx, items.flatMap((i) => (i.contact.address?.country ? [i.contact.address.country] : [])));
    companies = await companyIds(ctx, items.flatMap((i) => (i.contact.company ? [i.contact.company] : [])));
    keyed = await partnersByKey(ctx, items.filter((i) => !i.existing && i.allowCreate).map((i) => i.contact.clientId));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }

  const creates: { index: number; values: Values }[] = [];
  const updates: { index: number; id: number; values: Values }[] = [];
  items.forEach(({ contact: c, existing, allowCreate }, index) => {
    const refused = refusal(fields, c.properties);
    if (refused) return void (outcomes[index] = { ok: false, error: refused });
    const values = partnerValues(c, { countryId: c.address?.country ? countries.get(c.address.country) : undefined, companyId: c.company ? companies.get(c.company.trim()) : undefined });
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
      if (Object.keys(u.values).length > 0) await callOdoo(ctx, PARTNER, 'write', { ids: [u.id], vals: u.values }, true);
      outcomes[u.index] = { ok: true, ref: { object: PARTNER, id: String(u.id) }, created: false };
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      outcomes[u.index] = { ok: false, error: err };
    }
  }
  for (const chunk of chunks(creates, ODOO.batchSize)) {
    const results = await createNarrowing(ctx, chunk.map((c) => c.values));
    chunk.forEach((c, i) => {
      const r = results[i] as number | CrmError;
      outcomes[c.index] = typeof r === 'number' ? { ok: true, ref: { object: PARTNER, id: String(r) }, created: true } : { ok: false, error: r };
    });
  }
  return outcomes as RecordOutcome[];
}

/** Client id -> partner id, for the partners carrying our key. */
async function partnersByKey(ctx: OutboundContext, clientIds: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunks([...new Set(clientIds)], ODOO.searchChunk)) {
    const rows = await searchRead<{ id: number; ref: unknown }>(ctx, PARTNER, PARTNER_KEY.domain(chunk), [PARTNER_KEY.field], { order: 'id asc', context: { active_test: false } });
    for (const r of rows) {
      const id = PARTNER_KEY.read(r.ref);
      if (id !== undefined && !found.has(id)) found.set(id, r.id);
    }
  }
  return found;
}

/**
 * Odoo creates a vals_list in one transaction: one refused record refuses them all. A refused
 * list is split in halves until the bad record stands alone, and the others are created.
 */
async function createNarrowing(ctx: OutboundContext, list: Values[]): Promise<(number | CrmError)[]> {
  if (list.length === 0) return [];
  try {
    const ids = await callOdoo<number[]>(ctx, PARTNER, 'create', { vals_list: list }, false);
    return ids;
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    if (err.kind !== 'invalid' || list.length === 1) return list.map(() => err);
    const half = Math.ceil(list.length / 2);
    return [...(await createNarrowing(ctx, list.slice(0, half))), ...(await createNarrowing(ctx, list.slice(half)))];
  }
}

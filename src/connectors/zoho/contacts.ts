import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { crmUrl, fetchZoho, ZOHO } from './api.js';
import { contactRecord } from './contact-fields.js';
import { destinationOf, type Destination } from './destination.js';
import { recordsByPhone } from './phone-replays.js';
import { writeRecords, type WriteResult, type ZohoRecord } from './writes.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };
type Pending = { index: number; record: ZohoRecord };

/**
 * Matched or linked records are updated by id (only the fields we know). New clients are
 * upserted into the destination module with duplicate_check_fields = the fields of the phone
 * field and Email that Zoho accepts there (Email alone in a default org: Zoho refuses Phone),
 * so a replay after an uncertain outcome (the call timed out after Zoho saved) finds the record
 * the first attempt made and updates it. A client the duplicate check cannot find (no e-mail,
 * or none checkable) is first looked for by phone when an earlier attempt may have written it;
 * found, it is updated; in a module with nothing checkable, the rest are plain inserts.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const dest = await destinationOf(ctx);
  const destinations = new Map([[dest.module, dest]]);
  const destinationFor = async (module: string) => destinations.get(module) ?? destinations.set(module, await destinationOf(ctx, module)).get(module)!;

  const updates = new Map<string, (Pending & { contact: CanonicalContact })[]>();
  const creates: (Pending & { contact: CanonicalContact })[] = [];
  for (const [index, { contact, existing, allowCreate }] of items.entries()) {
    if (existing) {
      const list = updates.get(existing.object) ?? [];
      list.push({ index, contact, record: { id: existing.id } });
      updates.set(existing.object, list);
    } else if (!allowCreate) {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No ${dest.module} record in ${ZOHO.name} matches client ${contact.clientId}, and this connection only updates existing records.`) };
    } else if (!dest.fields.has(dest.phoneField)) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `${ZOHO.name}'s ${dest.module} module has no field ${dest.phoneField}: choose its phone field in the destination settings.`) };
    } else {
      creates.push({ index, contact, record: contactRecord(contact, dest, 'create') });
    }
  }
  const unchecked = creates.filter((c) => c.contact.maybeWritten !== false && !dest.duplicateCheck.some((f) => c.record[f]));
  let written = new Map<string, string>();
  let unsure: CrmError | undefined;
  if (unchecked.length) {
    try {
      written = await recordsByPhone(ctx, dest, unchecked.map((c) => c.contact));
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      // Not known whether an earlier attempt saved them: they wait, and the others go on.
      unsure = err;
      for (const c of unchecked) outcomes[c.index] = { ok: false, error: err };
    }
  }
  const toCreate = creates.filter((c) => !written.has(c.contact.clientId) && !(unsure && unchecked.includes(c)));
  const replayed = creates.filter((c) => written.has(c.contact.clientId)).map((c) => ({ ...c, record: { id: written.get(c.contact.clientId) } }));
  if (replayed.length) updates.set(dest.module, [...(updates.get(dest.module) ?? []), ...replayed]);

  const apply = (module: string, batch: Pending[], results: WriteResult[]) =>
    batch.forEach(({ index }, i) => {
      const r = results[i] as WriteResult;
      outcomes[index] = r.ok ? { ok: true, ref: { object: module, id: r.id }, created: r.created } : r;
    });

  for (const [module, batch] of updates) {
    const d = await destinationFor(module);
    const renames = await stillFallbackNamed(ctx, d, batch);
    for (const u of batch) u.record = { ...contactRecord(u.contact, d, renames.has(String(u.record.id)) ? 'rename' : 'update'), id: u.record.id };
    apply(module, batch, await writeRecords(ctx, module, { kind: 'update' }, batch.map((u) => u.record)));
  }
  if (toCreate.length) {
    const how = dest.duplicateCheck.length ? { kind: 'upsert' as const, duplicateCheck: dest.duplicateCheck } : { kind: 'insert' as const };
    apply(dest.module, toCreate, await writeRecords(ctx, dest.module, how, toCreate.map((c) => c.record)));
  }
  return outcomes as RecordOutcome[];
}

const NameAnswer = z.object({ data: z.array(z.record(z.string(), z.unknown())) });

/**
 * Of the records to update with a first name only, those still called by our fallback name:
 * only they may take the first name as their name (PRODUCT.md S6) without overwriting a name
 * someone typed in Zoho. Read by id, so there is no search index to lag.
 */
async function stillFallbackNamed(ctx: OutboundContext, d: Destination, batch: { contact: CanonicalContact; record: ZohoRecord }[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const { contact, record } of batch) {
    if (!contact.firstName || contact.lastName) continue;
    const id = String(record.id);
    const answer = await fetchZoho(ctx, { url: crmUrl(ctx, `/${d.module}/${id}`), query: { fields: d.nameField } }, NameAnswer).catch(() => undefined);
    if (answer?.data[0]?.[d.nameField] === contact.fallbackName) out.add(id);
  }
  return out;
}

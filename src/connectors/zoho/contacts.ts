import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { crmUrl, fetchZoho, ZOHO } from './api.js';
import { contactRecord } from './contact-fields.js';
import { destinationOf, type Destination } from './destination.js';
import { writeRecords, type WriteResult, type ZohoRecord } from './writes.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };
type Pending = { index: number; record: ZohoRecord };

/**
 * Matched or linked records are updated by id (only the fields we know); new clients are
 * upserted into the destination module with duplicate_check_fields = the phone field (and
 * Email where the module has it), so a replay after an uncertain outcome (the call timed out
 * after Zoho saved) finds the record the first attempt made and updates it.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const dest = await destinationOf(ctx);
  const destinations = new Map([[dest.module, dest]]);
  const destinationFor = async (module: string) => destinations.get(module) ?? destinations.set(module, await destinationOf(ctx, module)).get(module)!;

  const updates = new Map<string, (Pending & { contact: CanonicalContact })[]>();
  const creates: Pending[] = [];
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
      creates.push({ index, record: contactRecord(contact, dest, 'create') });
    }
  }

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
  if (creates.length) {
    const duplicateCheck = [dest.phoneField, ...(dest.fields.has('Email') ? ['Email'] : [])];
    apply(dest.module, creates, await writeRecords(ctx, dest.module, { kind: 'upsert', duplicateCheck }, creates.map((c) => c.record)));
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

import { CrmError } from '../errors.js';
import type { CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { chunk } from './api.js';
import { writeBatch, type BatchInput, type BatchResult } from './batch.js';
import { associateWithCompanies } from './company-associations.js';
import type { ContactWrite } from './contact-write.js';
import { contactProperties, needsFallbackName, withFallbackName } from './contact-fields.js';
import { BATCH_SIZE, CLIENT_ID_PROPERTY, CRM_NAME } from './facts.js';
import { ensureSyncKeyProperty } from './properties.js';
import { readByUniqueProperty } from './reads.js';
import { existingContactId } from './refusals.js';
import type { HubSpotObject } from './schemas.js';


const PATH = '/crm/v3/objects/contacts/batch';
const keyOf = (o: HubSpotObject) => o.properties[CLIENT_ID_PROPERTY] ?? undefined;
const ref = (id: string): CrmRef => ({ object: 'contacts', id });

/**
 * Creates or updates contacts, idempotent by client id:
 * 1. contacts we may have written before (no link, but an earlier attempt may have committed
 *    without answering: `maybeWritten`) are read by `crm_sync_client_id`, directly, not through search;
 * 2. known records are updated by id;
 * 3. new contacts with an e-mail are upserted by e-mail (HubSpot's own idempotent write);
 * 4. new contacts without one are created, carrying their client id for step 1 of a replay.
 */
export async function upsertContacts(ctx: OutboundContext, items: ContactWrite[]): Promise<RecordOutcome[]> {
  if (items.length === 0) return [];
  // One client twice in a call is one write (two creates would be two records).
  const first = new Map<string, ContactWrite>();
  for (const item of items) if (!first.has(item.contact.clientId)) first.set(item.contact.clientId, item);
  const outcomes = await writeContacts(ctx, [...first.values()]);
  await associateWithCompanies(ctx, outcomes);
  return items.map(
    (i) => outcomes.get(first.get(i.contact.clientId) as ContactWrite) ?? { ok: false, error: new CrmError('unavailable', `${CRM_NAME} did not report on this contact; crm-sync will retry.`) },
  );
}

async function writeContacts(ctx: OutboundContext, items: ContactWrite[]): Promise<Map<ContactWrite, RecordOutcome>> {
  await ensureSyncKeyProperty(ctx, 'contacts');
  const outcomes = new Map<ContactWrite, RecordOutcome>();
  // Only where an earlier attempt may have committed unanswered (matchContacts read the others' keys, if any).
  const unsure = items.filter((i) => !i.existing && i.contact.maybeWritten !== false);
  const written = await readByUniqueProperty(ctx, 'contacts', CLIENT_ID_PROPERTY, unsure.map((i) => i.contact.clientId));

  const toUpdate: { item: ContactWrite; id: string }[] = [];
  const toCreate: ContactWrite[] = [];
  for (const item of items) {
    const id = item.existing?.id ?? written.get(item.contact.clientId)?.id;
    if (id) toUpdate.push({ item, id });
    else if (item.allowCreate) toCreate.push(item);
    else outcomes.set(item, { ok: false, error: notInCrm() });
  }

  for (const { item, result } of await update(ctx, toUpdate)) {
    // A linked record deleted in HubSpot is created again when the policy allows creating.
    if (!result.ok && result.error.kind === 'not_found' && item.allowCreate) toCreate.push(item);
    else outcomes.set(item, outcome(result, false));
  }
  const [withEmail, withoutEmail] = [toCreate.filter((i) => i.contact.emails[0]), toCreate.filter((i) => !i.contact.emails[0])];
  for (const [item, result] of await upsertByEmail(ctx, withEmail)) outcomes.set(item, result);
  for (const [item, result] of await create(ctx, withoutEmail)) outcomes.set(item, result);
  return outcomes;
}

async function update(ctx: OutboundContext, writes: { item: ContactWrite; id: string }[]): Promise<{ item: ContactWrite; result: BatchResult }[]> {
  const out: { item: ContactWrite; result: BatchResult }[] = [];
  for (const part of chunk(writes, BATCH_SIZE)) {
    const inputs = part.map(({ item, id }): BatchInput => {
      const properties = contactProperties(item.contact);
      return { key: item.contact.clientId, id, properties, body: { id, properties } };
    });
    const results = await writeBatch(ctx, { path: `${PATH}/update`, what: 'contact', keyOf }, inputs);
    part.forEach(({ item }, i) => out.push({ item, result: results[i] as BatchResult }));
  }
  return out;
}

async function upsertByEmail(ctx: OutboundContext, items: ContactWrite[]): Promise<Map<ContactWrite, RecordOutcome>> {
  const out = new Map<ContactWrite, RecordOutcome>();
  const unnamed: { item: ContactWrite; id: string }[] = [];
  for (const part of chunk(items, BATCH_SIZE)) {
    const inputs = part.map((item): BatchInput => {
      const properties = contactProperties(item.contact);
      const email = item.contact.emails[0] as string;
      return { key: item.contact.clientId, id: email, properties, body: { id: email, idProperty: 'email', objectWriteTraceId: item.contact.clientId, properties } };
    });
    const results = await writeBatch(ctx, { path: `${PATH}/upsert`, what: 'contact', keyOf }, inputs);
    for (const [i, item] of part.entries()) {
      const result = results[i] as BatchResult;
      out.set(item, await outcomeOrTakeOver(ctx, item, result, result.ok && result.object.new === true));
      if (result.ok && result.object.new && needsFallbackName(item.contact)) unnamed.push({ item, id: result.object.id });
    }
  }
  await nameNewContacts(ctx, unnamed);
  return out;
}

async function create(ctx: OutboundContext, items: ContactWrite[]): Promise<Map<ContactWrite, RecordOutcome>> {
  const out = new Map<ContactWrite, RecordOutcome>();
  for (const part of chunk(items, BATCH_SIZE)) {
    const inputs = part.map((item): BatchInput => {
      const properties = withFallbackName(item.contact, contactProperties(item.contact));
      // A trace id on every input makes HubSpot answer 207 with per-input errors instead of refusing the batch.
      return { key: item.contact.clientId, properties, body: { properties, associations: [], objectWriteTraceId: item.contact.clientId } };
    });
    const results = await writeBatch(ctx, { path: `${PATH}/create`, what: 'contact', keyOf }, inputs);
    for (const [i, item] of part.entries()) out.set(item, await outcomeOrTakeOver(ctx, item, results[i] as BatchResult, true));
  }
  return out;
}

/**
 * HubSpot's 409 "Contact already exists. Existing ID: N" means another writer created the
 * contact between our read and our write: update that record instead of failing.
 */
async function outcomeOrTakeOver(ctx: OutboundContext, item: ContactWrite, result: BatchResult, created: boolean): Promise<RecordOutcome> {
  const existingId = !result.ok && result.error.kind === 'conflict' ? existingContactId(result.error.message) : undefined;
  if (!existingId) return outcome(result, created);
  const [retried] = await update(ctx, [{ item, id: existingId }]);
  return outcome((retried as { result: BatchResult }).result, false);
}

/** New contacts upserted by e-mail without a name get the fallback name; the upsert could not carry it, as it may have updated a named contact. */
async function nameNewContacts(ctx: OutboundContext, unnamed: { item: ContactWrite; id: string }[]): Promise<void> {
  for (const part of chunk(unnamed, BATCH_SIZE)) {
    const inputs = part.map(({ item, id }): BatchInput => {
      const properties = { firstname: item.contact.fallbackName, [CLIENT_ID_PROPERTY]: item.contact.clientId };
      return { key: item.contact.clientId, id, properties, body: { id, properties } };
    });
    // The contact is written either way; a name that fails here is cosmetic, not a failed sync.
    await writeBatch(ctx, { path: `${PATH}/update`, what: 'contact', keyOf }, inputs).catch(() => undefined);
  }
}

function outcome(result: BatchResult, created: boolean): RecordOutcome {
  return result.ok ? { ok: true, ref: ref(result.object.id), created } : { ok: false, error: result.error };
}

function notInCrm(): CrmError {
  return new CrmError('not_found', `No ${CRM_NAME} contact matches this client, and the connection only updates existing contacts (write policy "update only").`);
}

import { z } from 'zod';
import { CrmError } from '../errors.js';
import { outcomeOf } from '../record-outcome.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callPipedrive, mayHaveCommitted, searchIds, v2 } from './api.js';
import { organizationFor } from './organizations.js';
import { clientIdFieldKey, customFieldValues, nameFieldsIn } from './person-fields.js';
import { aboutToCreate, createdByUncertainAttempt, settled } from './recent.js';
import { Created, Ignored, PersonV2 } from './schemas.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };
type Point = PersonV2['emails'][number];
export type { PersonV2 } from './schemas.js';

export const PERSON = 'person';
const digits = (s: string) => s.replace(/\D/g, '');

/**
 * Persons one by one (Pipedrive has no batch write), so a bad record fails alone. A matched or
 * linked person is updated with only what we know; a new client is created with its client id
 * in the "crm-sync client id" field, looked up first so that a replay updates instead.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const item of items) outcomes.push(await outcomeOf(() => upsertOne(ctx, item)));
  return outcomes;
}

async function upsertOne(ctx: OutboundContext, { contact, existing, allowCreate }: Item): Promise<RecordOutcome> {
  if (existing && existing.object !== PERSON)
    return { ok: false, error: new CrmError('invalid', `Pipedrive ${existing.object} ${existing.id} is not a person; crm-sync only writes clients to persons.`) };
  const key = await clientIdFieldKey(ctx);
  const custom = await customFieldValues(ctx, contact.properties);
  const id = existing ? Number(existing.id) : await ownPerson(ctx, key, contact);
  if (id !== undefined) {
    const current = (await callPipedrive(ctx, { url: v2(ctx, `/persons/${id}`) }, PersonV2)).data;
    // A person someone else's record points at keeps its client id; an unclaimed one gets ours.
    const claim = current.custom_fields?.[key] ? {} : { [key]: contact.clientId };
    const changes = await personChanges(ctx, contact, current, { ...custom, ...claim });
    if (Object.keys(changes).length > 0) await send(ctx, { method: 'PATCH', url: v2(ctx, `/persons/${id}`), body: changes }, Ignored);
    return { ok: true, ref: { object: PERSON, id: String(id) }, created: false };
  }
  if (!allowCreate) return { ok: false, error: new CrmError('not_found', `No Pipedrive person matches client ${contact.clientId}, and this connection only updates existing records.`) };

  const body = { ...(await personChanges(ctx, contact, undefined, { ...custom, [key]: contact.clientId })), name: fullName(contact) ?? contact.fallbackName };
  await aboutToCreate(ctx, 'persons', contact.clientId);
  let created: { id: number };
  try {
    created = await send(ctx, { method: 'POST', url: v2(ctx, '/persons'), body }, Created);
  } catch (err) {
    // A timeout or 5xx leaves the note for whichever worker retries; a refusal saved nothing.
    if (!mayHaveCommitted(err)) await settled(ctx, 'persons', contact.clientId);
    throw err;
  }
  await settled(ctx, 'persons', contact.clientId);
  return { ok: true, ref: { object: PERSON, id: String(created.id) }, created: true };
}

/**
 * The person crm-sync created for this client before, if any. After an uncertain create (a
 * note in the ledger) we read the persons changed since directly (search would not show it for
 * a while); otherwise search on the client id field, which sees everything older than the index
 * lag. That search is skipped when no earlier attempt to write this client was made
 * (`maybeWritten` false) and it has an e-mail or phone: matching by those already looked, and
 * nothing of ours can be there. The ledger is read all the same: it costs no call unless a note
 * stands, and a note outlives an attempt the engine has given up on.
 */
async function ownPerson(ctx: OutboundContext, key: string, contact: CanonicalContact): Promise<number | undefined> {
  const mine = (p: PersonV2) => p.custom_fields?.[key] === contact.clientId;
  const recent = await createdByUncertainAttempt(ctx, 'persons', contact.clientId, PersonV2, mine);
  if (recent) return recent.id;
  if (contact.maybeWritten === false && (contact.emails.length > 0 || contact.phones.length > 0)) return undefined;
  for (const id of await searchIds(ctx, 'persons', contact.clientId, 'custom_fields')) {
    const person = (await callPipedrive(ctx, { url: v2(ctx, `/persons/${id}`) }, PersonV2)).data;
    if (mine(person)) return id;
  }
  return undefined;
}

const fullName = (c: CanonicalContact) => [c.firstName, c.lastName].filter((s) => s && s.trim()).join(' ') || undefined;

/**
 * The v2 body that brings `current` (undefined for a new person) up to what we know, and no
 * more: e-mails and phones are added to the person's list (never replacing one we lack), a
 * half-known name keeps the other half, and only values that differ are sent.
 */
async function personChanges(ctx: OutboundContext, c: CanonicalContact, current: PersonV2 | undefined, custom: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const name = nameFor(c, current);
  if (name && name !== current?.name) body.name = name;
  const emails = merged(current?.emails ?? [], c.emails, (a, b) => a.toLowerCase() === b.toLowerCase());
  if (emails) body.emails = emails;
  const phones = merged(current?.phones ?? [], c.phones, (a, b) => digits(a) === digits(b));
  if (phones) body.phones = phones;
  if (c.ownerId && Number(c.ownerId) !== current?.owner_id) body.owner_id = Number(c.ownerId);
  if (c.company?.trim()) {
    const org = await organizationFor(ctx, c.company);
    if (org !== current?.org_id) body.org_id = org;
  }
  const changed = Object.fromEntries(Object.entries(custom).filter(([k, v]) => JSON.stringify(current?.custom_fields?.[k]) !== JSON.stringify(v)));
  if (Object.keys(changed).length > 0) body.custom_fields = changed;
  return body;
}

/**
 * The name to send, if any. Pipedrive splits a name into first and last at the first space, so
 * a half-known name that the person's name already starts (or ends) with is left alone;
 * otherwise the other half comes from the person, unless its name is only our placeholder.
 */
function nameFor(c: CanonicalContact, current: PersonV2 | undefined): string | undefined {
  const first = c.firstName?.trim();
  const last = c.lastName?.trim();
  if (first && last) return `${first} ${last}`;
  if (!first && !last) return undefined;
  const known = current && current.name !== c.fallbackName ? current : undefined;
  if (!known) return first ?? last;
  if (first) return known.name.startsWith(`${first} `) || known.name === first ? known.name : [first, known.last_name].filter(Boolean).join(' ');
  return known.name.endsWith(` ${last}`) || known.name === last ? known.name : [known.first_name, last].filter(Boolean).join(' ');
}

/** The person's list with ours added (ours primary only when the list was empty), or undefined when nothing is new. */
function merged(have: Point[], ours: string[], same: (a: string, b: string) => boolean): Point[] | undefined {
  const kept = have.filter((p) => p.value !== '');
  const added = ours.filter((v) => v && !kept.some((p) => same(p.value, v)));
  if (added.length === 0) return undefined;
  return [...kept, ...added.map((value, i) => ({ value, primary: kept.length === 0 && i === 0, label: 'work' }))];
}

/** A person write; a refusal naming a custom field by its hash key is reworded with the field's name and our value. */
async function send<S extends z.ZodType>(ctx: OutboundContext, req: { method: 'POST' | 'PATCH'; url: string; body: Record<string, unknown> }, answer: S): Promise<z.infer<S>> {
  try {
    return (await callPipedrive(ctx, req, answer)).data;
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'invalid') throw await nameFieldsIn(ctx, err, (req.body.custom_fields ?? {}) as Record<string, unknown>);
    throw err;
  }
}

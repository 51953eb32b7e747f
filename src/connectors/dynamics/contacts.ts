import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { byKey, chunksWithin, DYNAMICS, idFromEntityUrl, isIn, literal, valueCost, writeOutcome } from './api.js';
import { sendBatch, type BatchRequest } from './batch.js';
import { newPerson, personValues, type Values } from './contact-fields.js';
import { columnsOf } from './lookups.js';
import { isPersonSet, newClientSet, PEOPLE, type PersonSet } from './people.js';
import { queryMany } from './reads.js';
import { NamedAccountRow } from './schemas.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };

/**
 * One `$batch` of PATCHes. Matched contacts and leads are updated by id with `If-Match: *` (an
 * update never recreates a record someone deleted: that answers 404 and the engine matches
 * again). New clients become leads (or contacts, as the connection chooses), upserted on the
 * alternate key `cs_crmsyncid`: a replay after a lost answer updates the record the first
 * attempt made, so there is never a second one. Each request stands alone in the batch, so one
 * refused record fails by itself.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let target: PersonSet;
  let accounts: Map<string, string>;
  let columns: Map<PersonSet, Set<string>>;
  try {
    target = newClientSet(ctx);
    const setOf = (i: Item) => (i.existing && isPersonSet(i.existing.object) ? i.existing.object : target);
    // A company synced as an account (companyRef) is linked as it is. Otherwise a contact gets an
    // account by its company's name; a lead keeps the name as text until qualified.
    accounts = await accountIds(ctx, items.flatMap((i) => (i.contact.company && !syncedAccount(i.contact) && setOf(i) === 'contacts' ? [i.contact.company] : [])));
    // Mappings were chosen from the new-client table's columns; only the other table needs a check.
    columns = await mappedColumns(ctx, items.filter((i) => Object.keys(i.contact.properties).length > 0).map(setOf).filter((set) => set !== target));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }
  const sent: { index: number; set: PersonSet; request: BatchRequest }[] = [];
  const prefer = { prefer: 'return=representation' };
  items.forEach(({ contact: c, existing, allowCreate }, index) => {
    const account = syncedAccount(c) ?? (c.company ? accounts.get(c.company.trim().toLowerCase()) : undefined);
    const only = (set: PersonSet, values: Values) => withinTable(values, c, columns.get(set));
    if (existing && !isPersonSet(existing.object)) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `${DYNAMICS.name} ${existing.object} ${existing.id} is not a contact or lead; crm-sync only writes clients to those.`) };
    } else if (existing) {
      const set = existing.object as PersonSet;
      const url = `${ctx.apiBase}/${set}(${existing.id})?$select=${PEOPLE[set].primaryId}`;
      sent.push({ index, set, request: { method: 'PATCH', url, body: only(set, personValues(c, set, account)), headers: { ...prefer, 'if-match': '*' } } });
    } else if (allowCreate) {
      const url = `${ctx.apiBase}/${byKey(target, c.clientId)}?$select=${PEOPLE[target].primaryId}`;
      sent.push({ index, set: target, request: { method: 'PATCH', url, body: only(target, newPerson(c, target, account)), headers: prefer } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No ${DYNAMICS.name} contact or lead matches client ${c.clientId}, and this connection only updates existing records.`) };
    }
  });
  let answers;
  try {
    answers = await sendBatch(ctx, sent.map((s) => s.request));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    for (const s of sent) outcomes[s.index] = { ok: false, error: err };
    return outcomes as RecordOutcome[];
  }
  sent.forEach(({ index, set, request }, n) => {
    const res = answers[n] as (typeof answers)[number];
    outcomes[index] = writeOutcome(res, set, PEOPLE[set].primaryId, request.body);
  });
  return outcomes as RecordOutcome[];
}

const syncedAccount = (c: CanonicalContact) => (c.companyRef?.object === 'accounts' ? c.companyRef.id : undefined);

/**
 * Field mappings are chosen from the columns of the table new clients go to; a matched record
 * in the other table gets those of them it has (a contact's birthdate has no place on a lead).
 * Read only when such a record carries mapped fields, once per connection.
 */
async function mappedColumns(ctx: OutboundContext, sets: PersonSet[]): Promise<Map<PersonSet, Set<string>>> {
  const out = new Map<PersonSet, Set<string>>();
  for (const set of new Set(sets)) out.set(set, await columnsOf(ctx, PEOPLE[set].logicalName));
  return out;
}

function withinTable(values: Values, c: CanonicalContact, columns: Set<string> | undefined): Values {
  if (!columns) return values;
  const out = { ...values };
  for (const name of Object.keys(c.properties)) if (!columns.has(name) && out[name] === c.properties[name]) delete out[name];
  return out;
}

/**
 * Company names -> account ids: an account with that name, else one we create, upserted on
 * `cs_crmsyncid = company:<name>` so that a replay finds the account it made.
 */
async function accountIds(ctx: OutboundContext, names: string[]): Promise<Map<string, string>> {
  const wanted = [...new Map(names.map((n) => [n.trim().toLowerCase(), n.trim()] as const)).entries()].filter(([k]) => k);
  const out = new Map<string, string>();
  // Names in In lists within a URL, all runs in one call; of two accounts with a name, the oldest.
  const runs = chunksWithin(wanted, ([, n]) => valueCost(literal(n)));
  const named = await queryMany(
    ctx,
    runs.map((run) => ({ set: 'accounts', params: { $select: 'accountid,name', $filter: `statecode eq 0 and ${isIn('name', run.map(([, n]) => n))}`, $orderby: 'createdon asc' } })),
    NamedAccountRow,
  );
  for (const r of named.flat()) if (!out.has(r.name.toLowerCase())) out.set(r.name.toLowerCase(), r.accountid);
  const missing = wanted.filter(([k]) => !out.has(k));
  const answers = await sendBatch(
    ctx,
    missing.map(([k, name]) => ({ method: 'PATCH', url: `${ctx.apiBase}/${byKey('accounts', `company:${k}`)}`, body: { name }, headers: {} })),
  );
  missing.forEach(([k], i) => {
    const id = idFromEntityUrl(answers[i]?.headers.get('odata-entityid'));
    if (id) out.set(k, id);
  });
  return out;
}

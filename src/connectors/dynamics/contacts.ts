import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { anyOf, byKey, DYNAMICS, idFromEntityUrl, literal, query, refusal, chunks } from './api.js';
import { sendBatch, type BatchRequest } from './batch.js';
import { contactValues, newContact } from './contact-fields.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };

/**
 * One `$batch` of PATCHes. Matched contacts are updated by id with `If-Match: *` (an update
 * never recreates a contact someone deleted: that answers 404 and the engine matches again).
 * New clients are upserted on the alternate key `cs_crmsyncid`: a replay after a lost answer
 * updates the contact the first attempt made, so there is never a second one. Each request
 * stands alone in the batch, so one refused record fails by itself.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let accounts: Map<string, string>;
  try {
    accounts = await accountIds(ctx, items.flatMap((i) => (i.contact.company ? [i.contact.company] : [])));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }
  const sent: { index: number; request: BatchRequest }[] = [];
  const select = { prefer: 'return=representation' };
  items.forEach(({ contact: c, existing, allowCreate }, index) => {
    const account = c.company ? accounts.get(c.company.trim().toLowerCase()) : undefined;
    if (existing && existing.object !== 'contacts') {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `Dynamics 365 ${existing.object} ${existing.id} is not a contact; crm-sync only writes clients to contacts.`) };
    } else if (existing) {
      sent.push({ index, request: { method: 'PATCH', url: `${ctx.apiBase}/contacts(${existing.id})?$select=contactid`, body: contactValues(c, account), headers: { ...select, 'if-match': '*' } } });
    } else if (allowCreate) {
      sent.push({ index, request: { method: 'PATCH', url: `${ctx.apiBase}/${byKey('contacts', c.clientId)}?$select=contactid`, body: newContact(c, account), headers: select } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No Dynamics 365 contact matches client ${c.clientId}, and this connection only updates existing records.`) };
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
  sent.forEach(({ index, request }, n) => {
    const res = answers[n] as (typeof answers)[number];
    const id = (res.body as { contactid?: string } | undefined)?.contactid ?? idFromEntityUrl(res.headers.get('odata-entityid'));
    outcomes[index] =
      res.status < 300 && id ? { ok: true, ref: { object: 'contacts', id }, created: res.status === 201 } : { ok: false, error: refusal(res, 'contacts', request.body) };
  });
  return outcomes as RecordOutcome[];
}

/**
 * Company names -> account ids: an account with that name, else one we create, upserted on
 * `cs_crmsyncid = company:<name>` so that a replay finds the account it made.
 */
async function accountIds(ctx: OutboundContext, names: string[]): Promise<Map<string, string>> {
  const wanted = [...new Map(names.map((n) => [n.trim().toLowerCase(), n.trim()] as const)).entries()].filter(([k]) => k);
  const out = new Map<string, string>();
  for (const chunk of chunks(wanted, DYNAMICS.filterChunk)) {
    const rows = await query<{ accountid: string; name: string }>(ctx, 'accounts', {
      $select: 'accountid,name',
      $filter: `statecode eq 0 and ${anyOf(chunk.map(([, n]) => n), (n) => `name eq ${literal(n)}`)}`,
      $orderby: 'createdon asc',
    });
    for (const r of rows) if (!out.has(r.name.toLowerCase())) out.set(r.name.toLowerCase(), r.accountid);
  }
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

import { CrmError } from '../errors.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { anyOf, chunks, chunksWithin, DYNAMICS, idFromEntityUrl, isIn, literal, refusal, valueCost } from './api.js';
import { activityRow, marker, markersIn, TABLES, type Table } from './activity-fields.js';
import { sendBatch } from './batch.js';
import { personOf } from './people.js';
import { queryMany, type Query } from './reads.js';
import { AnyRow, malformed } from './schemas.js';

/**
 * Writes notes and transcripts as annotations, tasks, calls and meetings as tasks, phone calls
 * and appointments, all created in one `$batch` of standalone requests (a refused one fails
 * alone), regarding the contact or lead. Idempotent by key: before creating we read the rows of
 * the same records that carry the keys (cs_crmsyncid on activities, the `[crm-sync:key]`
 * marker in a note's text) and skip those already there; a batch whose answer was lost is
 * found the same way on its replay. Those reads travel together in one `$batch` of GETs, and
 * are left out for keys no earlier attempt wrote (maybeWritten false): nothing can be there.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const valid: number[] = [];
  items.forEach((a, i) => {
    if (personOf(a.contact)) valid.push(i);
    else outcomes[i] = { ok: false, error: new CrmError('invalid', `An activity must be about a Dynamics 365 contact or lead, not ${a.contact.object} ${a.contact.id}.`) };
  });
  let written: Map<string, CrmRef>;
  try {
    written = await alreadyWritten(ctx, valid.map((i) => items[i] as CanonicalActivity).filter((a) => a.maybeWritten !== false));
  } catch (err) {
    // Without knowing what exists, creating could double; every item waits for a retry.
    if (!(err instanceof CrmError)) throw err;
    return items.map((_, i) => outcomes[i] ?? { ok: false, error: err });
  }
  const toCreate = new Map<string, number[]>();
  for (const i of valid) {
    const a = items[i] as CanonicalActivity;
    const ref = written.get(a.key);
    if (ref) outcomes[i] = { ok: true, ref, created: false };
    else toCreate.set(a.key, [...(toCreate.get(a.key) ?? []), i]);
  }
  const groups = [...toCreate.values()];
  const rows = groups.map((g) => activityRow(items[g[0] as number] as CanonicalActivity));
  let answers;
  try {
    answers = await sendBatch(ctx, rows.map((r) => ({ method: 'POST', url: `${ctx.apiBase}/${r.table}`, body: r.body })));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    for (const g of groups) for (const i of g) outcomes[i] = { ok: false, error: err };
    return outcomes as RecordOutcome[];
  }
  groups.forEach((group, n) => {
    const res = answers[n] as (typeof answers)[number];
    const row = rows[n] as (typeof rows)[number];
    const id = idFromEntityUrl(res.headers.get('odata-entityid'));
    const outcome: RecordOutcome =
      res.status >= 300 ? { ok: false, error: refusal(res, row.table, row.body) } : id ? { ok: true, ref: { object: row.table, id }, created: true } : { ok: false, error: malformed(`created a row in ${row.table} without naming it (OData-EntityId)`) };
    for (const i of group) outcomes[i] = outcome;
  });
  return outcomes as RecordOutcome[];
}

/** Key -> the row already carrying it, among the notes and activities of these contacts and leads. */
async function alreadyWritten(ctx: OutboundContext, items: CanonicalActivity[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const byTable = new Map<Table, CanonicalActivity[]>();
  for (const a of items) byTable.set(TABLES[a.kind], [...(byTable.get(TABLES[a.kind]) ?? []), a]);
  const reads: { table: Table; wanted: Set<string>; query: Query }[] = [];
  for (const [table, list] of byTable) {
    const wanted = new Set(list.map((a) => a.key));
    if (table === 'annotations') {
      // Annotations have no key column: contains() on the text, a few keys at a time.
      for (const chunk of chunks([...wanted], DYNAMICS.filterChunk / 2)) {
        const contacts = [...new Set(list.filter((a) => chunk.includes(a.key)).map((a) => a.contact.id))];
        const filter = `${anyOf(contacts, (id) => `_objectid_value eq ${id}`)} and ${anyOf(chunk, (k) => `contains(notetext,${literal(marker(k))})`)}`;
        reads.push({ table, wanted, query: { set: table, params: { $select: 'annotationid,notetext', $filter: filter } } });
      }
    } else {
      for (const chunk of chunksWithin([...wanted], (k) => valueCost(literal(k)))) {
        reads.push({ table, wanted, query: { set: table, params: { $select: `activityid,${DYNAMICS.keyColumn}`, $filter: isIn(DYNAMICS.keyColumn, chunk) } } });
      }
    }
  }
  const answers = await queryMany(ctx, reads.map((r) => r.query), AnyRow);
  reads.forEach(({ table, wanted }, n) => {
    for (const r of answers[n] ?? []) {
      const keys = table === 'annotations' ? markersIn(r.notetext) : [r[DYNAMICS.keyColumn]];
      const id = r[table === 'annotations' ? 'annotationid' : 'activityid'];
      for (const k of keys) if (typeof k === 'string' && typeof id === 'string' && wanted.has(k)) found.set(k, { object: table, id });
    }
  });
  return found;
}

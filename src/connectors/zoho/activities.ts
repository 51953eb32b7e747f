import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { crmUrl, fetchZoho, ZOHO } from './api.js';
import { coqlWhereIn } from './coql.js';
import { activityRecord, markersIn, moduleOf, noteContent, TEXT_FIELD, type ActivityModule } from './activity-fields.js';
import { writeRecords, type WriteResult, type ZohoRecord } from './writes.js';

const Rows = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  info: z.object({ more_records: z.boolean().default(false) }).loose().optional(),
});

/**
 * Writes notes and transcripts (Notes), tasks (Tasks), calls (Calls) and meetings (Events),
 * idempotent by key: each carries `[crm-sync:<key>]` at the end of its text, and before
 * creating a key an earlier attempt may have written we read what the same people already
 * have and skip the keys found; the rest are inserted 100 per call and module. A day's chat
 * note whose content grew (`replaces`, or found by its key) is updated in place, title and
 * content, so a day stays one note (PRODUCT.md S5).
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  let written: Map<string, CrmRef>;
  try {
    written = await alreadyWritten(ctx, items);
  } catch (err) {
    // Without knowing what exists, creating could double; every item waits for a retry.
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }

  // One write per key, even if the batch repeats a key.
  const byKey = new Map<string, number[]>();
  items.forEach((a, i) => byKey.set(a.key, [...(byKey.get(a.key) ?? []), i]));
  const settle = (group: number[], outcome: RecordOutcome) => group.forEach((i) => (outcomes[i] = outcome));

  const noteUpdates: { group: number[]; record: ZohoRecord; fallback: boolean }[] = [];
  const creates = new Map<ActivityModule, { group: number[]; record: ZohoRecord }[]>();
  const create = (group: number[]) => {
    const a = items[group[0]!]!;
    const list = creates.get(moduleOf(a)) ?? [];
    list.push({ group, record: activityRecord(a) });
    creates.set(moduleOf(a), list);
  };
  for (const group of byKey.values()) {
    const a = items[group[0]!]!;
    const found = written.get(a.key);
    const target = found ?? a.replaces;
    if (a.kind === 'transcript' && target) noteUpdates.push({ group, record: { ...noteContent(a), id: target.id }, fallback: !found });
    else if (found) settle(group, { ok: true, ref: found, created: false });
    else create(group);
  }

  if (noteUpdates.length) {
    const results = await writeRecords(ctx, 'Notes', { kind: 'update' }, noteUpdates.map((u) => u.record));
    noteUpdates.forEach((u, i) => {
      const r = results[i] as WriteResult;
      // The note we wrote that day was deleted in Zoho: the day starts a new one.
      if (!r.ok && r.error.kind === 'not_found' && u.fallback) create(u.group);
      else settle(u.group, r.ok ? { ok: true, ref: { object: 'Notes', id: r.id }, created: false } : r);
    });
  }
  for (const [module, list] of creates) {
    const results = await writeRecords(ctx, module, { kind: 'insert' }, list.map((c) => c.record));
    list.forEach((c, i) => {
      const r = results[i] as WriteResult;
      settle(c.group, r.ok ? { ok: true, ref: { object: module, id: r.id }, created: true } : r);
    });
  }
  return outcomes as RecordOutcome[];
}

/**
 * Key -> the note or activity already carrying its marker, among those of the same people.
 * Only keys an earlier attempt may have written are looked for (`maybeWritten` not false): a
 * key no attempt wrote cannot be in Zoho, and reading for it cost a call per person.
 */
async function alreadyWritten(ctx: OutboundContext, items: CanonicalActivity[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const unsure = items.filter((a) => a.maybeWritten !== false);
  const wanted = new Set(unsure.map((a) => a.key));
  const collect = (module: ActivityModule, rows: Record<string, unknown>[]) => {
    for (const row of rows) for (const key of markersIn(row[TEXT_FIELD[module]])) if (wanted.has(key)) found.set(key, { object: module, id: String(row.id) });
  };
  // Notes: the parent's Notes related list, read straight from the record (no search lag).
  const parents = new Map(unsure.filter((a) => moduleOf(a) === 'Notes').map((a) => [`${a.contact.object}/${a.contact.id}`, a.contact]));
  for (const p of parents.values()) {
    // A parent Zoho refuses (deleted, wrong module) has no notes to find; its create then fails alone, naming Parent_Id.
    const notes = await pages(ctx, `/${p.object}/${p.id}/Notes`, { fields: 'Note_Title,Note_Content' }).catch((err: unknown) => {
      if (err instanceof CrmError && !err.retryable && err.kind !== 'auth' && err.kind !== 'forbidden') return [];
      throw err;
    });
    collect('Notes', notes);
  }

  for (const module of ['Tasks', 'Calls', 'Events'] as const) {
    const mine = unsure.filter((a) => moduleOf(a) === module);
    if (!mine.length) continue;
    // The newest activities of the org, read from the module (no lag): what COQL may not see yet.
    const recent = await fetchZoho(ctx, { url: crmUrl(ctx, `/${module}`), query: { fields: 'Description', sort_by: 'Created_Time', sort_order: 'desc', per_page: ZOHO.pageSize } }, Rows);
    collect(module, recent?.data ?? []);
    // Then the people's older activities through COQL: Contacts by Who_Id, anything else by What_Id
    // (a person has many: pages of 2,000 rows).
    const who = mine.filter((a) => a.contact.object === 'Contacts').map((a) => a.contact.id);
    const what = mine.filter((a) => a.contact.object !== 'Contacts').map((a) => a.contact.id);
    const conditions = [{ field: 'Who_Id', values: who }, { field: 'What_Id', values: what }].filter((c) => c.values.length);
    collect(module, await coqlWhereIn(ctx, module, ['id', 'Description'], conditions, ZOHO.coql.maxLimit));
  }
  return found;
}

/** Every page of a list or related list (204 = none). */
async function pages(ctx: OutboundContext, path: string, query: Record<string, string>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const answer = await fetchZoho(ctx, { url: crmUrl(ctx, path), query: { ...query, per_page: ZOHO.pageSize, page } }, Rows);
    if (!answer) break;
    out.push(...answer.data);
    if (!answer.info?.more_records) break;
  }
  return out;
}

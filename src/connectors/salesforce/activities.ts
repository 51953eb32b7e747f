import { CrmError } from '../errors.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { activityRecord, markersIn, objectOf, type ActivityObject } from './activity-fields.js';
import { writeCollection } from './collections.js';
import { chunkForQuery, inList, query } from './soql.js';

/**
 * How far back a replay looks for what it may already have written. The outbox replays
 * within minutes or hours; the window keeps the query small for people with long histories.
 */
const REPLAY_WINDOW = 'LAST_N_DAYS:30';

/**
 * Writes notes, tasks, calls, transcripts (Tasks) and meetings (Events) with Collections
 * create, idempotent by key: each record carries `[crm-sync:<key>]` at the end of its
 * Description, and before creating keys an earlier attempt may have written (`maybeWritten`)
 * we read the Tasks and Events of the same people created in the replay window and skip the
 * keys already there. Description cannot be filtered in
 * SOQL (long text), so the markers are matched here. queryAll includes deleted records, so a
 * replay does not bring back an activity someone deleted.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const valid: number[] = [];
  // A day's chat note that grew: update the Task written before, in place.
  const replacing = items.flatMap((a, i) => (a.replaces ? [i] : []));
  if (replacing.length) {
    const records = replacing.map((i) => {
      const r = activityRecord(items[i]!);
      // WhoId and WhatId stay as written; only what the note says changes.
      return { object: items[i]!.replaces!.object, values: { id: items[i]!.replaces!.id, Subject: r.values.Subject, Description: r.values.Description } };
    });
    const results = await writeCollection(ctx, { kind: 'update' }, records);
    replacing.forEach((i, n) => {
      const r = results[n];
      outcomes[i] = r?.ok ? { ok: true, ref: items[i]!.replaces!, created: false } : (r ?? { ok: false, error: new CrmError('unavailable', 'Salesforce gave no answer for this update') });
    });
  }
  items.forEach((a, i) => {
    if (a.replaces) return;
    if (a.contact.object === 'Lead' || a.contact.object === 'Contact') valid.push(i);
    else outcomes[i] = { ok: false, error: new CrmError('invalid', `An activity must be about a Salesforce Lead or Contact, not a ${a.contact.object} (${a.contact.id}).`) };
  });
  let written: Map<string, CrmRef>;
  try {
    // Keys no earlier attempt wrote cannot be in Salesforce: only the others are looked for.
    written = await alreadyWritten(ctx, valid.map((i) => items[i] as CanonicalActivity).filter((a) => a.maybeWritten !== false));
  } catch (err) {
    // Without knowing what exists, creating could double; every item waits for a retry.
    if (!(err instanceof CrmError)) throw err;
    return items.map((_, i) => outcomes[i] ?? { ok: false, error: err });
  }

  // One create per key, even if the batch repeats a key.
  const toCreate = new Map<string, number[]>();
  for (const i of valid) {
    const a = items[i] as CanonicalActivity;
    const ref = written.get(a.key);
    if (ref) outcomes[i] = { ok: true, ref, created: false };
    else toCreate.set(a.key, [...(toCreate.get(a.key) ?? []), i]);
  }
  const groups = [...toCreate.values()];
  const records = groups.map((g) => activityRecord(items[g[0] as number] as CanonicalActivity));
  const results = await writeCollection(ctx, { kind: 'create' }, records);
  groups.forEach((group, n) => {
    const r = results[n];
    const record = records[n];
    if (!r || !record) return;
    for (const i of group) outcomes[i] = r.ok ? { ok: true, ref: { object: record.object, id: r.id }, created: true } : r;
  });
  return outcomes as RecordOutcome[];
}

/** Key -> the Task or Event already carrying its marker, among those created for these people lately. */
async function alreadyWritten(ctx: OutboundContext, items: CanonicalActivity[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const wanted = new Set(items.map((a) => a.key));
  for (const object of ['Task', 'Event'] as ActivityObject[]) {
    const who = [...new Set(items.filter((a) => objectOf(a) === object).map((a) => a.contact.id))];
    for (const chunk of chunkForQuery(who, (id) => [id])) {
      const soql = `SELECT Id, Description FROM ${object} WHERE WhoId IN ${inList(chunk)} AND CreatedDate = ${REPLAY_WINDOW}`;
      for (const record of await query(ctx, soql, { includeDeleted: true })) {
        for (const key of markersIn(record.Description)) if (wanted.has(key) && record.Id) found.set(key, { object, id: record.Id });
      }
    }
  }
  return found;
}

import { CrmError } from '../errors.js';
import { outcomeOf } from '../record-outcome.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callPipedrive, listV1, listV2, v1, v2 } from './api.js';
import { activityBody, markersIn, noteBody, objectOf, type PipedriveObject } from './activity-fields.js';
import { Activity, Created, Ignored, Note } from './schemas.js';

/** Notes exist in v1 only; activities are written through v2, where a write costs half the tokens. */
const WRITE: Record<PipedriveObject, { url: (ctx: OutboundContext, path: string) => string; path: string; update: 'PUT' | 'PATCH' }> = {
  note: { url: v1, path: '/notes', update: 'PUT' },
  activity: { url: v2, path: '/activities', update: 'PATCH' },
};

/**
 * Notes (and transcripts) as notes, tasks, calls and meetings as activities, one by one,
 * idempotent by key: each carries `[crm-sync:<key>]` in its content, and before creating a key
 * an earlier attempt may have written we list the person's notes and activities (direct lists,
 * not the lagging search) and skip the keys already there, so a replay after a timeout that
 * Pipedrive committed changes nothing.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map((a) =>
    a.contact.object === 'person' ? undefined : { ok: false, error: new CrmError('invalid', `An activity must be about a Pipedrive person, not a ${a.contact.object} (${a.contact.id}).`) },
  );
  const valid = items.filter((_, i) => !outcomes[i]);
  let written: Map<string, CrmRef>;
  try {
    written = await alreadyWritten(ctx, valid);
  } catch (err) {
    // Without knowing what exists, creating could double; every item waits for a retry.
    if (!(err instanceof CrmError)) throw err;
    return items.map((_, i) => outcomes[i] ?? { ok: false, error: err });
  }
  for (const [i, a] of items.entries()) outcomes[i] ??= await outcomeOf(() => writeOne(ctx, a, written));
  return outcomes as RecordOutcome[];
}

async function writeOne(ctx: OutboundContext, a: CanonicalActivity, written: Map<string, CrmRef>): Promise<RecordOutcome> {
  const object = objectOf(a);
  const body = object === 'note' ? noteBody(a) : activityBody(a);
  if (a.replaces) {
    // The content grew (more messages of the same day): the same record, rewritten.
    await callPipedrive(ctx, { method: WRITE[object].update, url: WRITE[object].url(ctx, `${WRITE[object].path}/${a.replaces.id}`), body }, Ignored);
    return { ok: true, ref: a.replaces, created: false };
  }
  const done = written.get(a.key);
  if (done) return { ok: true, ref: done, created: false };
  const { data } = await callPipedrive(ctx, { method: 'POST', url: WRITE[object].url(ctx, WRITE[object].path), body }, Created);
  const ref = { object, id: String(data.id) };
  // A key repeated within the batch is written once.
  written.set(a.key, ref);
  return { ok: true, ref, created: true };
}

/**
 * Key -> the note or activity already carrying its marker, among those of these persons. Only
 * keys an earlier attempt may have written are looked for (`maybeWritten` not false): a key no
 * attempt wrote cannot be in Pipedrive, and each person's lists cost a call (20 tokens) each.
 */
async function alreadyWritten(ctx: OutboundContext, all: CanonicalActivity[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const items = all.filter((a) => a.maybeWritten !== false);
  const wanted = new Set(items.map((a) => a.key));
  const keep = (object: PipedriveObject, id: number, html: unknown) => {
    for (const key of markersIn(html)) if (wanted.has(key)) found.set(key, { object, id: String(id) });
  };
  const persons = (object: PipedriveObject) => [...new Set(items.filter((a) => !a.replaces && objectOf(a) === object).map((a) => a.contact.id))];
  for (const person of persons('note')) {
    for (const n of await listV1(ctx, '/notes', Note, { person_id: person })) keep('note', n.id, n.content);
  }
  for (const person of persons('activity')) {
    for (const act of (await listV2(ctx, '/activities', Activity, { person_id: person })).items) keep('activity', act.id, act.note);
  }
  return found;
}

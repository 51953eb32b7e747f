import { createHash } from 'node:crypto';
import { CrmError } from '../errors.js';
import type { ActivityKind, CanonicalActivity, OutboundContext, RecordOutcome } from '../outbound.js';
import { answerFailure, AUTOCHAT, fetchAutoChat, refusal } from './api.js';
import { CLIENT } from './clients.js';
import { ActivityBatch } from './schemas.js';

const TYPE: Record<ActivityKind, string> = { note: 'note', task: 'task', call: 'call', meeting: 'meeting', transcript: 'message' };

/** Keys longer than AutoChat takes are hashed (the same key always gives the same idempotency_key). */
const idempotencyKey = (key: string) => (key.length <= AUTOCHAT.idempotencyKeyMax ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`);
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The activity as AutoChat takes it (without its client and key). */
function activityBody(a: CanonicalActivity): Record<string, unknown> {
  const v: Record<string, unknown> = { type: TYPE[a.kind], title: clip(a.subject || a.kind, AUTOCHAT.titleMax) };
  if (a.body) v.body = clip(a.body, AUTOCHAT.bodyMax);
  if (a.kind === 'task') v.due_at = a.dueAt ?? a.occurredAt;
  else v.occurred_at = a.occurredAt;
  if (a.ownerId) v.assignee_id = a.ownerId;
  return v;
}

/**
 * Activities in batches of up to 100 (POST /activities/batch), each carrying its key as its
 * `idempotency_key`: AutoChat stores the key with the activity and answers a known key with the
 * activity it made, so a replay (after a timeout that committed, a crash, or with content that
 * changed since) creates nothing, and the shared http layer may retry the batch. That makes a
 * read-back before creating unnecessary whatever `maybeWritten` says. A bad item fails alone.
 * A grown record (`replaces`: a day's chat note with more messages) is edited in place with
 * PATCH /activities/{id}, one call each (they are few).
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const creates: { index: number; item: Record<string, unknown> }[] = [];
  for (const [index, a] of items.entries()) {
    if (a.contact.object !== CLIENT) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `An activity must be about an AutoChat CRM client, not a ${a.contact.object} (${a.contact.id}).`) };
      continue;
    }
    const body = activityBody(a);
    if (a.replaces) {
      try {
        outcomes[index] = await editActivity(ctx, a.replaces.id, body);
      } catch (err) {
        if (!(err instanceof CrmError)) throw err;
        outcomes[index] = { ok: false, error: err };
      }
      if (outcomes[index]) continue;
    }
    // Written anew when there is nothing to edit (deleted in AutoChat since), keyed by its content.
    const key = a.replaces ? `${a.key}:${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16)}` : a.key;
    creates.push({ index, item: { client_id: a.contact.id, idempotency_key: idempotencyKey(key), ...body } });
  }
  for (let i = 0; i < creates.length; i += AUTOCHAT.batchSize) {
    const chunk = creates.slice(i, i + AUTOCHAT.batchSize);
    const results = await createBatch(ctx, chunk.map((c) => c.item));
    chunk.forEach((c, j) => (outcomes[c.index] = results[j]));
  }
  return outcomes as RecordOutcome[];
}

/** One batch call; each result is read on its own. A failed call fails every item with its error. */
async function createBatch(ctx: OutboundContext, items: Record<string, unknown>[]): Promise<RecordOutcome[]> {
  let results: ActivityBatch['data'];
  try {
    // Every item is keyed: sending the batch twice has the effect of sending it once.
    const req = { method: 'POST' as const, url: `${ctx.apiBase}/activities/batch`, body: { activities: items }, idempotent: true };
    results = (await fetchAutoChat(ctx, req, ActivityBatch, 'POST /activities/batch')).data;
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return items.map(() => ({ ok: false, error: err }));
  }
  return items.map((item, i): RecordOutcome => {
    const r = results.find((x) => x.index === i);
    if (r && r.status !== 'failed') return { ok: true, ref: { object: 'activity', id: r.activity.id }, created: r.status === 'created' };
    return { ok: false, error: r ? refusal(r.error, item) : new CrmError('unavailable', 'AutoChat CRM gave no result for this activity') };
  });
}

/**
 * The activity rewritten with the new title, body and times (its type and client stay). An
 * edit is idempotent, so the shared http layer may retry it. Undefined when AutoChat no longer
 * has the activity (someone deleted it).
 */
async function editActivity(ctx: OutboundContext, id: string, body: Record<string, unknown>): Promise<RecordOutcome | undefined> {
  const { type: _type, ...edits } = body;
  const res = await ctx.http({ method: 'PATCH', url: `${ctx.apiBase}/activities/${encodeURIComponent(id)}`, body: edits, idempotent: true });
  if (res.status === 200) return { ok: true, ref: { object: 'activity', id }, created: false };
  if (res.status === 404) return undefined;
  return { ok: false, error: answerFailure(res, edits) };
}

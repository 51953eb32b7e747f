import { createHash } from 'node:crypto';
import { CrmError } from '../errors.js';
import type { ActivityKind, CanonicalActivity, OutboundContext, RecordOutcome } from '../outbound.js';
import { answerFailure, AUTOCHAT, listAll } from './api.js';
import { CLIENT } from './clients.js';

const TYPE: Record<ActivityKind, string> = { note: 'note', task: 'task', call: 'call', meeting: 'meeting', transcript: 'message' };

/** Keys longer than the header allows are hashed (the same key always gives the same header). */
const idempotencyKey = (key: string) => (key.length <= AUTOCHAT.idempotencyKeyMax ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`);
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The activity as AutoChat takes it. It must be the same bytes for the same key, since AutoChat
 * replays an Idempotency-Key only for the same request.
 */
function activityBody(a: CanonicalActivity): Record<string, unknown> {
  const v: Record<string, unknown> = { type: TYPE[a.kind], title: clip(a.subject || a.kind, AUTOCHAT.titleMax) };
  if (a.body) v.body = clip(a.body, AUTOCHAT.bodyMax);
  if (a.kind === 'task') v.due_at = a.dueAt ?? a.occurredAt;
  else v.occurred_at = a.occurredAt;
  if (a.ownerId) v.assignee_id = a.ownerId;
  return v;
}

/**
 * Activities one call each, idempotent by key: the key is the request's Idempotency-Key, so a
 * replay within AutoChat's 24 hours (after a timeout that committed, or a crash) gets the
 * first answer back and creates nothing, and the shared http layer may retry these POSTs. The
 * engine's ledger covers replays after that. A grown record (`replaces`: a day's chat note with
 * more messages) is edited in place with PATCH /activities/{id}.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const a of items) {
    try {
      outcomes.push(await writeOne(ctx, a));
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      outcomes.push({ ok: false, error: err });
    }
  }
  return outcomes;
}

async function writeOne(ctx: OutboundContext, a: CanonicalActivity): Promise<RecordOutcome> {
  if (a.contact.object !== CLIENT) return { ok: false, error: new CrmError('invalid', `An activity must be about an AutoChat CRM client, not a ${a.contact.object} (${a.contact.id}).`) };
  const body = activityBody(a);
  if (a.replaces) {
    const edited = await editActivity(ctx, a.replaces.id, body);
    if (edited) return edited;
  }
  // Written anew when there is nothing to edit (deleted in AutoChat since), keyed by its content.
  const key = a.replaces ? `${a.key}:${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16)}` : a.key;
  const url = `${ctx.apiBase}/clients/${encodeURIComponent(a.contact.id)}/activities`;
  const res = await ctx.http({ method: 'POST', url, body, headers: { 'idempotency-key': idempotencyKey(key) }, idempotent: true });
  if (res.status === 200 || res.status === 201) {
    const replayed = res.headers.get('idempotency-replayed') === 'true';
    return { ok: true, ref: { object: 'activity', id: (res.body as { id: string }).id }, created: !replayed };
  }
  const failure = answerFailure(res, body);
  // The key was used for a request that differs since (the conversation changed): it was written.
  if (failure.details.vendorCode === 'idempotency_key_reused') {
    const same = (await listAll<{ id: string; title: string }>(ctx, `/clients/${encodeURIComponent(a.contact.id)}/activities`, { type: TYPE[a.kind] })).filter((x) => x.title === body.title);
    if (same.length) return { ok: true, ref: { object: 'activity', id: same[same.length - 1]!.id }, created: false };
  }
  return { ok: false, error: failure };
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

import { CrmError } from '../errors.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callOdoo, chunks, createSplitting, ODOO, searchRead } from './api.js';
import { activityValues, messageArgs, markersIn, recordOf, usesActivity, type ThreadRecord } from './activity-values.js';

/**
 * Notes and transcripts become chatter messages (message_post) on the partner, or on its open
 * opportunity when the engine found one; tasks, calls and meetings become scheduled activities
 * (mail.activity, created 100 per call). Idempotent by key: each carries `[crm-sync:<key>]`,
 * and before writing we read the messages and activities of the same records that carry a
 * marker and skip the keys already there. Odoo's searches read the database, so a write whose
 * answer was lost is found by the replay.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const valid: number[] = [];
  items.forEach((a, i) => {
    if (a.contact.object === 'res.partner') valid.push(i);
    else outcomes[i] = { ok: false, error: new CrmError('invalid', `An activity must be about an Odoo contact (res.partner), not ${a.contact.object} ${a.contact.id}.`) };
  });
  let written: Map<string, CrmRef>;
  let types: Map<string, number>;
  try {
    written = await alreadyWritten(ctx, valid.map((i) => items[i] as CanonicalActivity));
    types = await activityTypes(ctx);
  } catch (err) {
    // Without knowing what exists, writing could double; every item waits for a retry.
    if (!(err instanceof CrmError)) throw err;
    return items.map((_, i) => outcomes[i] ?? { ok: false, error: err });
  }

  const toWrite = new Map<string, number[]>();
  for (const i of valid) {
    const a = items[i] as CanonicalActivity;
    const ref = written.get(a.key);
    if (ref) outcomes[i] = { ok: true, ref, created: false };
    else toWrite.set(a.key, [...(toWrite.get(a.key) ?? []), i]);
  }
  const settle = (group: number[], r: RecordOutcome) => group.forEach((i) => (outcomes[i] = r));
  const groups = [...toWrite.values()];
  const scheduled = groups.filter((g) => usesActivity(items[g[0] as number] as CanonicalActivity));
  for (const group of groups.filter((g) => !scheduled.includes(g))) {
    const a = items[group[0] as number] as CanonicalActivity;
    const on = recordOf(a);
    try {
      const id = await callOdoo<number>(ctx, on.model, 'message_post', { ids: [on.id], ...messageArgs(a) }, false);
      settle(group, { ok: true, ref: { object: 'mail.message', id: String(id) }, created: true });
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      settle(group, { ok: false, error: err });
    }
  }
  for (const chunk of chunks(scheduled, ODOO.batchSize)) {
    const results = await createSplitting(ctx, 'mail.activity', chunk.map((g) => activityValues(items[g[0] as number] as CanonicalActivity, types)));
    chunk.forEach((group, n) => {
      const r = results[n] as number | CrmError;
      settle(group, typeof r === 'number' ? { ok: true, ref: { object: 'mail.activity', id: String(r) }, created: true } : { ok: false, error: r });
    });
  }
  return outcomes as RecordOutcome[];
}

/** Activity type name -> id, read once per connection. */
async function activityTypes(ctx: OutboundContext): Promise<Map<string, number>> {
  const cached = ctx.cache.get('odoo:activity-types') as Map<string, number> | undefined;
  if (cached) return cached;
  const rows = await searchRead<{ id: number; name: string }>(ctx, 'mail.activity.type', [], ['name'], { order: 'sequence, id' });
  const types = new Map<string, number>();
  for (const r of rows) if (!types.has(r.name)) types.set(r.name, r.id);
  ctx.cache.set('odoo:activity-types', types);
  return types;
}

/** Key -> the message or activity already carrying its marker on these records. */
async function alreadyWritten(ctx: OutboundContext, items: CanonicalActivity[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const wanted = new Set(items.map((a) => a.key));
  const byModel = new Map<ThreadRecord['model'], Set<number>>();
  for (const a of items) {
    const on = recordOf(a);
    byModel.set(on.model, (byModel.get(on.model) ?? new Set()).add(on.id));
  }
  for (const [model, ids] of byModel) {
    for (const chunk of chunks([...ids], ODOO.searchChunk)) {
      const marked = (field: string) => [field, 'ilike', `[${ODOO.keyPrefix}`];
      const messages = await searchRead<{ id: number; body: unknown }>(ctx, 'mail.message', [['model', '=', model], ['res_id', 'in', chunk], marked('body')], ['body']);
      for (const m of messages) for (const k of markersIn(m.body)) if (wanted.has(k)) found.set(k, { object: 'mail.message', id: String(m.id) });
      const activities = await searchRead<{ id: number; note: unknown }>(ctx, 'mail.activity', [['res_model', '=', model], ['res_id', 'in', chunk], marked('note')], ['note']);
      for (const m of activities) for (const k of markersIn(m.note)) if (wanted.has(k)) found.set(k, { object: 'mail.activity', id: String(m.id) });
    }
  }
  return found;
}

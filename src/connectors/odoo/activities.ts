import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalActivity, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { chunks, createSplitting, ODOO, searchRead } from './api.js';
import { activityValues, messageValues, markersIn, recordOf, usesActivity, type ThreadRecord } from './activity-values.js';
import { Id, Row, rowWith } from './schemas.js';

/**
 * Notes and transcripts become chatter messages (mail.message, created 100 per call) on the
 * partner, or on its open opportunity when the engine found one; tasks, calls and meetings become
 * scheduled activities (mail.activity, 100 per call). Idempotent by key: each carries
 * `[crm-sync:<key>]`, and before writing keys an earlier attempt may have written (`maybeWritten`
 * not false) we read the messages and activities of the same records that carry a marker and skip
 * the keys already there. Odoo's searches read the database, so a write whose answer was lost is
 * found by the replay.
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const valid: number[] = [];
  items.forEach((a, i) => {
    if (a.contact.object === 'res.partner') valid.push(i);
    else outcomes[i] = { ok: false, error: new CrmError('invalid', `An activity must be about an Odoo contact (res.partner), not ${a.contact.object} ${a.contact.id}.`) };
  });
  const validItems = valid.map((i) => items[i] as CanonicalActivity);
  let written: Map<string, CrmRef>;
  let types: Map<string, number> | undefined;
  let noteSubtype: number | undefined;
  try {
    written = await alreadyWritten(ctx, validItems.filter((a) => a.maybeWritten !== false));
    if (validItems.some(usesActivity)) types = await activityTypes(ctx);
    if (validItems.some((a) => !usesActivity(a))) noteSubtype = await noteSubtypeId(ctx);
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
  const first = (group: number[]) => items[group[0] as number] as CanonicalActivity;
  const groups = [...toWrite.values()];
  const writes = [
    { model: 'mail.message', groups: groups.filter((g) => !usesActivity(first(g))), values: (a: CanonicalActivity) => messageValues(a, noteSubtype as number) },
    { model: 'mail.activity', groups: groups.filter((g) => usesActivity(first(g))), values: (a: CanonicalActivity) => activityValues(a, types ?? new Map()) },
  ];
  for (const { model, groups: todo, values } of writes) {
    for (const chunk of chunks(todo, ODOO.batchSize)) {
      const results = await createSplitting(ctx, model, chunk.map((g) => values(first(g))));
      chunk.forEach((group, n) => {
        const r = results[n] as number | CrmError;
        const outcome: RecordOutcome = typeof r === 'number' ? { ok: true, ref: { object: model, id: String(r) }, created: true } : { ok: false, error: r };
        group.forEach((i) => (outcomes[i] = outcome));
      });
    }
  }
  return outcomes as RecordOutcome[];
}

/** Activity type name -> id, read once per connection. */
async function activityTypes(ctx: OutboundContext): Promise<Map<string, number>> {
  const cached = ctx.cache.get('odoo:activity-types') as Map<string, number> | undefined;
  if (cached) return cached;
  const rows = await searchRead(ctx, 'mail.activity.type', [], ['name'], rowWith({ name: z.string() }), { order: 'sequence, id' });
  const types = new Map<string, number>();
  for (const r of rows) if (!types.has(r.name)) types.set(r.name, r.id);
  ctx.cache.set('odoo:activity-types', types);
  return types;
}

/** The id of the "Note" message subtype, by its external id (its name may be translated or renamed), read once per connection. */
async function noteSubtypeId(ctx: OutboundContext): Promise<number> {
  const cached = ctx.cache.get('odoo:note-subtype') as number | undefined;
  if (cached !== undefined) return cached;
  const [module, name] = ODOO.noteSubtype.split('.') as [string, string];
  const [row] = await searchRead(ctx, 'ir.model.data', [['module', '=', module], ['name', '=', name], ['model', '=', 'mail.message.subtype']], ['res_id'], rowWith({ res_id: Id }), { limit: 1 });
  if (!row?.res_id) throw new CrmError('invalid', `This Odoo has no message subtype ${ODOO.noteSubtype} (the "Note" of the chatter), which notes are logged as; is the Discuss (mail) app installed?`);
  ctx.cache.set('odoo:note-subtype', row.res_id);
  return row.res_id;
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
      const messages = await searchRead(ctx, 'mail.message', [['model', '=', model], ['res_id', 'in', chunk], marked('body')], ['body'], Row);
      for (const m of messages) for (const k of markersIn(m.body)) if (wanted.has(k)) found.set(k, { object: 'mail.message', id: String(m.id) });
      const activities = await searchRead(ctx, 'mail.activity', [['res_model', '=', model], ['res_id', 'in', chunk], marked('note')], ['note'], Row);
      for (const m of activities) for (const k of markersIn(m.note)) if (wanted.has(k)) found.set(k, { object: 'mail.activity', id: String(m.id) });
    }
  }
  return found;
}

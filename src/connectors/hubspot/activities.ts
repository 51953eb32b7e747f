import { CrmError } from '../errors.js';
import type { CanonicalActivity, OutboundContext, RecordOutcome } from '../outbound.js';
import { activityAssociations, activityProperties } from './activity-fields.js';
import { chunk, failure, isSuccess, send } from './api.js';
import { writeBatch, type BatchInput } from './batch.js';
import { ACTIVITY_KEY_PROPERTY, BATCH_SIZE, CRM_NAME, OBJECT_LABEL, OBJECT_OF_KIND, type EngagementObject } from './facts.js';
import { ensureSyncKeyProperty } from './properties.js';
import { readByUniqueProperty } from './reads.js';

/**
 * Notes, tasks, calls and meetings, idempotent by key. Before creating, the keys an earlier
 * attempt may have written (`maybeWritten`) are read directly (`batch/read` by `crm_sync_key`,
 * not search, so a record an unanswered attempt committed a moment ago is found) and those
 * found are skipped. Creates carry the key as
 * `objectWriteTraceId`, so one bad input fails alone (207).
 */
export async function writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]> {
  const outcomes = new Map<string, RecordOutcome>();
  // A day's chat note that grew: update the note written before, in place.
  for (const a of items.filter((i) => i.replaces)) outcomes.set(a.key, await replace(ctx, a));
  const byObject = new Map<EngagementObject, CanonicalActivity[]>();
  for (const item of items.filter((i) => !i.replaces)) {
    const object = OBJECT_OF_KIND[item.kind];
    const list = byObject.get(object) ?? [];
    // The same key twice in one call is one write.
    if (!list.some((a) => a.key === item.key)) list.push(item);
    byObject.set(object, list);
  }
  for (const [object, activities] of byObject) {
    await ensureSyncKeyProperty(ctx, object);
    for (const part of chunk(activities, BATCH_SIZE)) await writePart(ctx, object, part, outcomes);
  }
  return items.map(
    (a) => outcomes.get(a.key) ?? { ok: false, error: new CrmError('unavailable', `${CRM_NAME} did not report on this ${a.kind}; crm-sync will retry.`) },
  );
}

async function replace(ctx: OutboundContext, a: CanonicalActivity): Promise<RecordOutcome> {
  const ref = a.replaces!;
  const res = await send(ctx, { method: 'PATCH', path: `/crm/v3/objects/${ref.object}/${ref.id}`, body: { properties: activityProperties(a) } });
  return isSuccess(res) ? { ok: true, ref, created: false } : { ok: false, error: failure(res) };
}

async function writePart(ctx: OutboundContext, object: EngagementObject, part: CanonicalActivity[], outcomes: Map<string, RecordOutcome>): Promise<void> {
  // Keys no earlier attempt wrote cannot be in HubSpot: only the others are read back.
  const existing = await readByUniqueProperty(ctx, object, ACTIVITY_KEY_PROPERTY, part.filter((a) => a.maybeWritten !== false).map((a) => a.key));
  for (const [key, record] of existing) outcomes.set(key, { ok: true, ref: { object, id: record.id }, created: false });

  const fresh = part.filter((a) => !existing.has(a.key));
  const inputs = fresh.map((a): BatchInput => {
    const properties = activityProperties(a);
    return { key: a.key, properties, body: { properties, associations: activityAssociations(a), objectWriteTraceId: a.key } };
  });
  const results = await writeBatch(
    ctx,
    { path: `/crm/v3/objects/${object}/batch/create`, what: OBJECT_LABEL[object], keyOf: (o) => o.properties[ACTIVITY_KEY_PROPERTY] ?? undefined },
    inputs,
  );
  fresh.forEach((a, i) => {
    const result = results[i];
    if (result) outcomes.set(a.key, result.ok ? { ok: true, ref: { object, id: result.object.id }, created: true } : { ok: false, error: result.error });
  });
}

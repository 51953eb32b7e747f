import { CrmError } from '../errors.js';
import type { OutboundContext } from '../outbound.js';
import { listV2 } from './api.js';

/**
 * Pipedrive has no idempotency keys and its search index lags behind writes by seconds, so a
 * create that timed out (or got a 500) may have saved a record that search cannot show yet.
 * We note such an uncertain attempt here and, before trying again, read the records changed
 * since then directly from the list endpoint (no index, no lag).
 */
const KEY = (entity: string, id: string) => `pipedrive:uncertain:${entity}:${id}`;
/** Clock skew and the time the first attempt spent in flight. */
const MARGIN_MS = 5 * 60_000;
/** Pages of 500 we read to settle one uncertain outcome; the filter keeps it to a page in Pipedrive. */
const MAX_PAGES = 10;

export function noteUncertain(ctx: OutboundContext, entity: 'persons' | 'organizations', id: string): void {
  if (!ctx.cache.has(KEY(entity, id))) ctx.cache.set(KEY(entity, id), Date.now());
}

export function settled(ctx: OutboundContext, entity: 'persons' | 'organizations', id: string): void {
  ctx.cache.delete(KEY(entity, id));
}

/**
 * After an uncertain create of this record: the one it saved, found by `matches` among the
 * records changed since; null when it saved none (safe to create); undefined when nothing was
 * uncertain.
 */
export async function createdByUncertainAttempt<T extends { id: number }>(
  ctx: OutboundContext,
  entity: 'persons' | 'organizations',
  id: string,
  matches: (record: T) => boolean,
): Promise<T | null | undefined> {
  const since = ctx.cache.get(KEY(entity, id)) as number | undefined;
  if (since === undefined) return undefined;
  const updatedSince = new Date(since - MARGIN_MS).toISOString().slice(0, 19) + 'Z';
  const { items, complete } = await listV2<T>(ctx, `/${entity}`, { updated_since: updatedSince, sort_by: 'update_time', sort_direction: 'desc' }, MAX_PAGES);
  const hit = items.find(matches);
  if (hit) return hit;
  if (!complete) throw new CrmError('unavailable', `Pipedrive: an earlier attempt to create this record timed out and crm-sync could not yet confirm whether it was saved; it will check again before creating.`);
  return null;
}

import type { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CreateLedger, OutboundContext } from '../outbound.js';
import { listV2 } from './api.js';

/**
 * Pipedrive has no idempotency keys and its search index lags behind writes by seconds, so a
 * create that timed out (or got a 500, or whose worker died) may have saved a record that
 * search cannot show yet. Each create is noted in the connection's ledger (the database, so
 * every worker sees it) before the call and cleared once its outcome is certain; while a note
 * stands, a retry first reads the records changed since directly from the list endpoint (no
 * index, no lag).
 */
type Entity = 'persons' | 'organizations';
const KEY = (entity: Entity, id: string) => `pipedrive:${entity}:${id}`;
/** Clock skew between workers and Pipedrive, and the time the attempt spent in flight. */
const MARGIN_MS = 5 * 60_000;
/** Pages of 500 we read to settle one uncertain outcome; the filter keeps it to a page in Pipedrive. */
const MAX_PAGES = 10;
const MEMORY = 'pipedrive:createNotes';

/** The context's durable ledger; outside a worker (no store), notes in the connection's cache. */
function ledgerOf(ctx: OutboundContext): CreateLedger {
  if (ctx.ledger) return ctx.ledger;
  let notes = ctx.cache.get(MEMORY) as Map<string, number> | undefined;
  if (!notes) ctx.cache.set(MEMORY, (notes = new Map()));
  const memo = notes;
  return {
    note: async (key) => void (memo.has(key) || memo.set(key, Date.now())),
    clear: async (key) => void memo.delete(key),
    since: async (key) => memo.get(key),
  };
}

/** Before a create call: from now on its outcome is uncertain until `settled`. */
export function aboutToCreate(ctx: OutboundContext, entity: Entity, id: string): Promise<void> {
  return ledgerOf(ctx).note(KEY(entity, id));
}

/**
 * The create's outcome is certain (it answered, it was refused, or the record it saved was
 * found). A failure to clear only costs the next retry one list read, so it is not an error.
 */
export async function settled(ctx: OutboundContext, entity: Entity, id: string): Promise<void> {
  await ledgerOf(ctx)
    .clear(KEY(entity, id))
    .catch(() => undefined);
}

/**
 * After an uncertain create of this record: the one it saved, found by `matches` among the
 * records changed since; null when it saved none (safe to create); undefined when nothing was
 * uncertain. Either answer settles the note.
 */
export async function createdByUncertainAttempt<S extends z.ZodType<{ id: number }>>(
  ctx: OutboundContext,
  entity: Entity,
  id: string,
  record: S,
  matches: (record: z.infer<S>) => boolean,
): Promise<z.infer<S> | null | undefined> {
  const since = await ledgerOf(ctx).since(KEY(entity, id));
  if (since === undefined) return undefined;
  const updatedSince = new Date(since - MARGIN_MS).toISOString().slice(0, 19) + 'Z';
  const { items, complete } = await listV2(ctx, `/${entity}`, record, { updated_since: updatedSince, sort_by: 'update_time', sort_direction: 'desc' }, MAX_PAGES);
  const hit = items.find(matches);
  if (!hit && !complete) throw new CrmError('unavailable', `Pipedrive: an earlier attempt to create this record timed out and crm-sync could not yet confirm whether it was saved; it will check again before creating.`);
  await settled(ctx, entity, id);
  return hit ?? null;
}

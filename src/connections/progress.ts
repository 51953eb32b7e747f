import { z } from 'zod';
import { ConnectionSettings } from '../domain/connection-settings.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, type Db } from '../store/store.js';
import { connectionItemCounts } from '../store/sync-progress.js';
import { awaitsActivation } from '../engine/activation-gate.js';
import { WAITING_FOR_ACTIVATION } from '../engine/pending-log.js';

/** The rate is what settled in this window (a minute: long enough to smooth the CRM's batches, short enough to follow a slowdown). */
export const RATE_WINDOW_MS = 60_000;
/** A rate over less than this would read one batch of a hundred settled at once as a hundred a millisecond. */
const MIN_SPAN_MS = 1_000;

export const ConnectionProgress = z.object({
  connectionId: z.string(),
  total: z.number().describe('Every item (client, company, conversation, deal) the connection has to keep in step'),
  done: z.number().describe('Synced or skipped on purpose, with nothing newer to write'),
  synced: z.number(),
  skipped: z.number(),
  failed: z.number().describe('Failed in a way only a change of the record can fix (see the sync logs)'),
  pending: z.number().describe('With a newer version to write: due + waiting'),
  due: z.number().describe('Pending and due now'),
  waiting: z.number().describe('Pending, due later: an update waiting for the update interval, or a retry backing off'),
  retrying: z.number().describe('Pending after a failed attempt'),
  ratePerSecond: z.number().describe('Items settled per second over the last minute; 0 when none'),
  etaSeconds: z.number().nullable().describe('pending / ratePerSecond; null when nothing is pending or the rate is 0'),
  paused: z
    .object({ reason: z.string(), until: z.string().nullable() })
    .nullable()
    .describe('Why syncing is on hold (turned off, needs reconnecting, the CRM’s daily limit used up...), and until when if known'),
  measuredAt: z.string(),
});
export type ConnectionProgress = z.infer<typeof ConnectionProgress>;

/**
 * How far a connection is through what it has to sync. `pausedUntil` is the sync worker's own
 * pause of this connection (the CRM refused everything for now: a quota, an outage), when this
 * process runs the worker.
 */
export async function connectionProgress(db: Db, row: ConnectionTable, pausedUntil: number | undefined, now = Date.now()): Promise<ConnectionProgress> {
  const c = await connectionItemCounts(db, row.id, now, now - RATE_WINDOW_MS);
  // From the first item touched in the window: a backfill's items were all marked pending when
  // it began, so early on the rate is over the backfill's time, not over a whole idle minute.
  const span = c.firstTouchSince === null ? RATE_WINDOW_MS : Math.max(now - c.firstTouchSince, MIN_SPAN_MS);
  const rate = (c.settledSince * 1000) / span;
  return {
    connectionId: row.id,
    total: c.total,
    done: c.synced + c.skipped,
    synced: c.synced,
    skipped: c.skipped,
    failed: c.failed,
    pending: c.pending,
    due: c.due,
    waiting: c.pending - c.due,
    retrying: c.retrying,
    ratePerSecond: Math.round(rate * 100) / 100,
    etaSeconds: c.pending > 0 && rate > 0 ? Math.round((c.pending / rate) * 10) / 10 : null,
    paused: pauseOf(row, pausedUntil, now),
    measuredAt: new Date(now).toISOString(),
  };
}

function pauseOf(row: ConnectionTable, pausedUntil: number | undefined, now: number): ConnectionProgress['paused'] {
  if (row.status !== 'connected') return { reason: `The connection is ${row.status.replace('_', ' ')}; reconnect it to resume syncing.`, until: null };
  const settings = ConnectionSettings.parse(readJson(row.settings));
  if (!settings.enabled) return { reason: 'Syncing is turned off for this connection.', until: null };
  if (awaitsActivation(row.crm, settings)) return { reason: WAITING_FOR_ACTIVATION, until: null };
  if (pausedUntil !== undefined && pausedUntil > now) return { reason: row.last_error ?? 'The CRM refused calls for now.', until: new Date(pausedUntil).toISOString() };
  return null;
}

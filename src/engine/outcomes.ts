import { saveLinks, type CrmLink } from '../store/links.js';
import type { SyncItemTable } from '../store/schema.js';
import type { Store, Tx } from '../store/store.js';
import { deferItem, settleItem } from '../store/sync-items.js';
import { appendSyncLogs, type NewSyncLog } from '../store/sync-logs.js';

/** How an item's attempt ends: done with a version, or tried again later. */
export type ItemEnd = { settle: { version: number; state: 'synced' | 'skipped' | 'failed'; note: string | null } } | { defer: { retryAt: number; error: string } };

type ItemKey = Pick<SyncItemTable, 'entity_type' | 'entity_id'>;

/** What a pass did to one record, to be written in one transaction: its end, its log entries, the CRM links its writes made. */
interface RecordOutcome {
  key?: ItemKey;
  /** Attempts so far, for the backoff when the store refuses this record. */
  attempts: number;
  end?: ItemEnd;
  logs: NewSyncLog[];
  links: CrmLink[];
}

/**
 * The moment after an attempt that fails it again, backing off with its attempts (1 s, 2 s,
 * 4 s ... 15 min, jittered) unless the CRM said how long to wait. Whole milliseconds, as every
 * stored time.
 */
export function retryTime(attempts: number, now: number, retryAfterMs = 0): number {
  const backoff = Math.min(15 * 60_000, 1_000 * 2 ** Math.min(attempts, 10));
  return now + Math.ceil(Math.max(retryAfterMs, backoff * (0.5 + Math.random() / 2)));
}

/**
 * A pass's outcomes, held until `commit` writes them: an item's settling (or deferral), its
 * log entries and its links commit together, so a crash never leaves a synced record without
 * its log line, nor a log line for a record that will be written again. A log entry belongs to
 * the record it names (entity_type, entity_id are the sync item's key); one that names none
 * (a pause of the connection) belongs to the pass.
 */
export class PendingOutcomes {
  private records = new Map<string, RecordOutcome>();
  /** Records the store refused this pass: already deferred, so what else the pass decides for them is dropped. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly scope: { workspaceId: string; connectionId: string },
    private readonly now: () => number,
    /** The log entry that says the store refused a record. */
    private readonly refusalLog: (key: ItemKey, message: string) => NewSyncLog,
  ) {}

  log(entry: NewSyncLog): void {
    const key = entry.entity_type && entry.entity_id ? { entity_type: entry.entity_type as SyncItemTable['entity_type'], entity_id: entry.entity_id } : undefined;
    this.recordOf(key)?.logs.push(entry);
  }

  link(item: SyncItemTable, link: CrmLink): void {
    this.recordOf(item, item.attempts)?.links.push(link);
  }

  end(item: SyncItemTable, end: ItemEnd): void {
    const r = this.recordOf(item, item.attempts);
    if (r) r.end = end;
  }

  /**
   * Writes everything held, in one transaction. When the store refuses it, each record is
   * written on its own: the one it refuses is deferred with the reason and logged, and the
   * others go on. Throws only when the store refuses what belongs to no record, or the
   * deferral itself (then it is the store, not a record, that is failing).
   */
  async commit(): Promise<void> {
    const records = [...this.records.values()];
    this.records = new Map();
    if (!records.length) return;
    try {
      await this.store.write((tx) => this.write(tx, records));
      return;
    } catch (err) {
      if (records.length === 1 && !records[0]!.key) throw err;
    }
    for (const r of records) {
      try {
        await this.store.write((tx) => this.write(tx, [r]));
      } catch (err) {
        if (!r.key) throw err;
        await this.refuse(r, err);
      }
    }
  }

  private async write(tx: Tx, records: RecordOutcome[]): Promise<void> {
    const now = this.now();
    await saveLinks(tx, this.scope.workspaceId, this.scope.connectionId, records.flatMap((r) => r.links), now);
    await appendSyncLogs(tx, records.flatMap((r) => r.logs), now);
    for (const r of records) {
      if (!r.key || !r.end) continue;
      if ('settle' in r.end) await settleItem(tx, this.itemKey(r.key), r.end.settle, now);
      else await deferItem(tx, this.itemKey(r.key), { ...r.end.defer, failed: false }, now);
    }
  }

  /** The store would not take this record's outcome: try it again later, saying why. Its CRM write may have happened; write_started_at stays, so the next attempt looks for it. */
  private async refuse(r: RecordOutcome, err: unknown): Promise<void> {
    const key = r.key!;
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300);
    const message = `crm-sync could not save the outcome of this ${key.entity_type} (${reason}); it is tried again.`;
    const now = this.now();
    await this.store.write(async (tx) => {
      await deferItem(tx, this.itemKey(key), { retryAt: retryTime(r.attempts, now), error: message, failed: false }, now);
      await appendSyncLogs(tx, [this.refusalLog(key, message)], now);
    });
    this.refused.add(keyString(key));
  }

  private recordOf(key: ItemKey | undefined, attempts = 0): RecordOutcome | undefined {
    const k = key ? keyString(key) : '';
    if (this.refused.has(k)) return undefined;
    let r = this.records.get(k);
    if (!r) this.records.set(k, (r = { key: key && { entity_type: key.entity_type, entity_id: key.entity_id }, attempts, logs: [], links: [] }));
    r.attempts = Math.max(r.attempts, attempts);
    return r;
  }

  private itemKey(key: ItemKey) {
    return { connectionId: this.scope.connectionId, entityType: key.entity_type, entityId: key.entity_id };
  }
}

const keyString = (key: ItemKey) => `${key.entity_type}\u0000${key.entity_id}`;

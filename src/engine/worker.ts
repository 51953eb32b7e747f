import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AccessTokens } from '../connections/tokens.js';
import { CrmError } from '../connectors/errors.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { OUTBOUND } from '../connectors/outbound-registry.js';
import type { OutboundContext } from '../connectors/outbound.js';
import { ConnectionSettings } from '../domain/connection-settings.js';
import type { CrmId } from '../domain/crm.js';
import { listSyncableConnections, releaseSyncLease, takeSyncLease, updateConnection } from '../store/connections.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, type Store } from '../store/store.js';
import { dueItems } from '../store/sync-items.js';
import { outboundContext } from './context.js';
import { awaitsActivation, noteWaitingForActivation } from './activation-gate.js';
import { fanOut } from './fanout.js';
import { pauseMessage } from './pending-log.js';
import { SyncRun } from './run.js';
import { syncClients } from './sync-clients.js';
import { syncCompanies } from './sync-companies.js';
import { syncConversations } from './sync-conversations.js';
import { syncDeals } from './sync-deals.js';

const LEASE_MS = 30_000;
const STEPS = [
  ['company', syncCompanies],
  ['client', syncClients],
  ['deal', syncDeals],
  ['conversation', syncConversations],
] as const;
/**
 * Items per pass: ten of the connector's batches, at most 1,000. A multiple of the batch size
 * fills the CRM's batches (500 clients made three Salesforce Collections of 200, 200 and 100),
 * and where the CRM takes one record per call (Pipedrive) a pass stays within seconds.
 */
const passSize = (batchSize: number) => Math.min(1_000, 10 * batchSize);
/**
 * During a burst of ingest (the connection's last pass had at least BUSY_PASS items), a pass
 * with room to spare waits this long for more, so that the CRM's batches fill instead of
 * going out a few records each. A lone change (a pass of one) is never held back.
 */
const LINGER_MS = 250;
const BUSY_PASS = 50;
/** Without a wake-up (another process ingested), look for work this often. */
const POLL_MS = 1_000;
/** One connection's turn before the others get theirs. */
const SLICE_MS = 10_000;

/**
 * Drives every connected CRM: takes a connection's lease (one worker per connection, so it
 * owns the rate budget), moves new outbox rows into its sync items, and syncs what is due.
 * In the embedded default `wake()` is called right after an ingest commits, so a new client
 * reaches the CRM in well under a second; other processes notice within POLL_MS.
 */
export class SyncWorker {
  private readonly owner = `worker-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly contexts = new Map<string, OutboundContext>();
  /** Connections whose CRM refused everything for now (quota used up, outage): skipped until then. */
  private readonly pausedUntil = new Map<string, number>();
  /** Items in each connection's last pass (see LINGER_MS). */
  private readonly lastPass = new Map<string, number>();
  private running = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;

  private readonly leaseMs: number;

  /** `leaseMs`: how long a connection stays ours without renewal (tests shorten it). */
  constructor(private readonly deps: { store: Store; tokens: AccessTokens; http: CrmHttp; logger?: Logger; leaseMs?: number }) {
    this.leaseMs = deps.leaseMs ?? LEASE_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Something was ingested or asked for (Sync Now): look for work now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Until when this worker holds off a connection whose CRM refused everything (undefined: not paused here). */
  pausedUntilOf(connectionId: string): number | undefined {
    return this.pausedUntil.get(connectionId);
  }

  /** One pass over every connection; returns how many items it handled (tests and Sync Now). */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (const row of await listSyncableConnections(this.deps.store.db)) {
      if (!OUTBOUND[row.crm as CrmId]) continue;
      const settings = ConnectionSettings.parse(readJson(row.settings));
      if (!settings.enabled || (this.pausedUntil.get(row.id) ?? 0) > Date.now()) continue;
      if (!(await takeSyncLease(this.deps.store.db, row.id, this.owner, Date.now(), this.leaseMs))) continue;
      const heartbeat = this.keepLease(row.id);
      try {
        handled += await this.drive(row, settings);
      } catch (err) {
        this.deps.logger?.error({ err, connection: row.id }, 'sync pass failed');
      } finally {
        clearInterval(heartbeat);
        await releaseSyncLease(this.deps.store.db, row.id, this.owner);
      }
    }
    return handled;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.deps.logger?.error({ err }, 'sync worker pass failed');
      }
      if (handled > 0 || this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /**
   * Renews the lease while a pass runs: one batch can outlast it where the CRM takes a call
   * per record (500 Pipedrive clients take ~40 s), and another worker must not take over then.
   */
  private keepLease(connectionId: string): NodeJS.Timeout {
    const timer = setInterval(() => {
      takeSyncLease(this.deps.store.db, connectionId, this.owner, Date.now(), this.leaseMs).catch((err: unknown) => this.deps.logger?.warn({ err, connection: connectionId }, 'could not renew the sync lease'));
    }, this.leaseMs / 3);
    timer.unref();
    return timer;
  }

  private async drive(row: ConnectionTable, settings: ConnectionSettings): Promise<number> {
    const { store } = this.deps;
    const started = Date.now();
    await fanOut(store, row, settings, started);
    // Fanned out all the same, so the records count as pending and sync at once on activation.
    if (awaitsActivation(row.crm, settings)) {
      await noteWaitingForActivation(store.db, row, started);
      return 0;
    }
    let ctx = this.contexts.get(row.id);
    if (!ctx) this.contexts.set(row.id, (ctx = outboundContext(store, this.deps.tokens, this.deps.http, row)));
    // Settings may have changed since the context was built; the destination is read per pass.
    ctx.destination = settings.destination;
    const connector = OUTBOUND[row.crm as CrmId]!;
    let handled = 0;
    const batch = passSize(connector.batchSize);
    while (Date.now() - started < SLICE_MS) {
      let items = await dueItems(store.db, row.id, Date.now(), batch);
      if (items.length && items.length < batch && (this.lastPass.get(row.id) ?? 0) >= BUSY_PASS) {
        await new Promise((r) => setTimeout(r, LINGER_MS));
        await fanOut(store, row, settings, Date.now());
        items = await dueItems(store.db, row.id, Date.now(), batch);
      }
      this.lastPass.set(row.id, items.length);
      if (!items.length) break;
      const run = new SyncRun(store, row, settings, connector, ctx);
      try {
        // Companies first, then clients: a contact is associated with its company, a deal and a
        // conversation's notes need the client's record, and notes go on a deal created just before.
        // Each kind's outcomes are on record before the next kind reads them.
        for (const [type, sync] of STEPS) {
          await sync(run, items.filter((i) => i.entity_type === type));
          await run.commit();
        }
      } catch (err) {
        if (!(err instanceof CrmError)) throw err;
        // A failure of the whole CRM (auth, quota, outage): the items stay due; pause the connection.
        const until = Date.now() + (err.details.retryAfterMs ?? 5_000);
        this.pausedUntil.set(row.id, until);
        this.deps.logger?.warn({ connection: row.id, kind: err.kind }, err.message);
        await updateConnection(store.db, row.id, { last_error: err.message, last_error_at: Date.now() });
        // One entry per pause (a paused connection is skipped until then). What resumes by itself
        // (a used-up daily quota, a rate limit, an outage) is pending; what needs a person, failed.
        run.log({
          operation: 'sync_paused',
          entity_type: null,
          entity_id: null,
          client_id: null,
          status: err.retryable ? 'pending' : 'failed',
          crm_record_id: null,
          message: pauseMessage(err.message, until),
          action: err.kind === 'auth' ? `Reconnect ${run.crmName}.` : 'Nothing: syncing resumes by itself.',
        });
        // What the pass settled before the failure, with its log entries, and the pause's entry.
        await run.commit();
        break;
      }
      handled += items.length;
      // Lost (this process stalled past the lease and another worker took over): stop here.
      if (!(await takeSyncLease(store.db, row.id, this.owner, Date.now(), this.leaseMs))) break;
    }
    await updateConnection(store.db, row.id, { last_sync_at: Date.now() });
    return handled;
  }
}

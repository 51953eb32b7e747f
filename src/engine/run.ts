import { CrmError } from '../connectors/errors.js';
import type { CrmRef, OutboundConnector, OutboundContext } from '../connectors/outbound.js';
import type { ConnectionSettings } from '../domain/connection-settings.js';
import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import type { CrmLink } from '../store/links.js';
import type { ConnectionTable, SyncItemTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { NewSyncLog } from '../store/sync-logs.js';
import { markWriteStarted } from '../store/sync-items.js';
import { userEmail } from '../store/sync-reads.js';
import { PendingOutcomes, retryTime } from './outcomes.js';
import { retryMessage } from './pending-log.js';

const OWNERS = 'engine:owners';

/** Everything one pass over a connection needs, and the bookkeeping it does. */
export class SyncRun {
  /** CRM owners by e-mail, kept for as long as this worker holds the connection (owners rarely change). */
  private get owners(): Map<string, string | undefined> {
    let m = this.ctx.cache.get(OWNERS) as Map<string, string | undefined> | undefined;
    if (!m) this.ctx.cache.set(OWNERS, (m = new Map()));
    return m;
  }
  /** Open deals by contact, for this pass only (a deal can close at any time). */
  private readonly deals = new Map<string, Promise<CrmRef | undefined>>();
  private readonly outcomes: PendingOutcomes;

  constructor(
    readonly store: Store,
    readonly connection: ConnectionTable,
    readonly settings: ConnectionSettings,
    readonly connector: OutboundConnector,
    readonly ctx: OutboundContext,
    readonly now: () => number = Date.now,
  ) {
    this.outcomes = new PendingOutcomes(store, { workspaceId: connection.workspace_id, connectionId: connection.id }, now, (key, message) =>
      this.entry({
        operation: 'save_outcome',
        entity_type: key.entity_type,
        entity_id: key.entity_id,
        client_id: key.entity_type === 'client' ? key.entity_id : null,
        status: 'failed',
        crm_record_id: null,
        message,
        action: 'Nothing: crm-sync retries by itself. If this keeps coming back, the database refuses something (see its log).',
      }),
    );
  }

  get crm(): CrmId {
    return this.connection.crm as CrmId;
  }

  get crmName(): string {
    return CRM_NAMES[this.crm];
  }

  /**
   * The CRM user to own a record (PRODUCT.md S7), looked up once per e-mail while this worker
   * holds the connection. Throws a retryable CrmError when the CRM could not answer: defer the record.
   */
  async ownerFor(ownerEmail: string | undefined): Promise<string | undefined> {
    const o = this.settings.owner;
    if (o.mode === 'fixed') return o.crmUserId;
    let email = o.mode === 'match_email' ? ownerEmail : undefined;
    if (!email && this.connection.connected_by.startsWith('user:')) email = await userEmail(this.store.db, this.connection.connected_by.slice(5));
    if (!email) return undefined;
    return (await this.lookupOwner(email)) ?? (o.mode === 'match_email' ? await this.connectingUserOwner() : undefined);
  }

  /**
   * ownerFor, for one record: when the CRM could not answer, the record is deferred (written
   * now, it would keep no owner until it changes again) and `deferred` is true.
   */
  async ownerOrDefer(item: SyncItemTable, ownerEmail: string | undefined): Promise<{ deferred: boolean; ownerId?: string }> {
    try {
      return { deferred: false, ownerId: await this.ownerFor(ownerEmail) };
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      this.defer(item, err);
      return { deferred: true };
    }
  }

  private async connectingUserOwner(): Promise<string | undefined> {
    if (!this.connection.connected_by.startsWith('user:')) return undefined;
    const email = await userEmail(this.store.db, this.connection.connected_by.slice(5));
    if (!email) return undefined;
    return this.lookupOwner(email);
  }

  /**
   * Found and not-found answers are kept, and so is a refusal (no permission to read users:
   * records go without an owner). A failure retrying can fix is thrown, so that the record is
   * tried again later rather than written without its owner for good.
   */
  private async lookupOwner(email: string): Promise<string | undefined> {
    if (this.owners.has(email)) return this.owners.get(email);
    try {
      const id = await this.connector.findOwnerByEmail(this.ctx, email);
      this.owners.set(email, id);
      return id;
    } catch (err) {
      if (err instanceof CrmError && err.retryable) throw err;
      this.owners.set(email, undefined);
      return undefined;
    }
  }

  /** The contact's open deal; a contact with several conversations in a pass is looked up once. */
  openDeal(contact: CrmRef): Promise<CrmRef | undefined> {
    let found = this.deals.get(contact.id);
    if (!found) {
      found = this.connector.findOpenDeal(this.ctx, contact);
      // A failed lookup is not remembered: the caller retries later.
      found.catch(() => this.deals.delete(contact.id));
      this.deals.set(contact.id, found);
    }
    return found;
  }

  /** A deal this pass created (on request) is the contact's open deal from now on, whatever was looked up before. */
  rememberOpenDeal(contact: CrmRef, deal: CrmRef): void {
    this.deals.set(contact.id, Promise.resolve(deal));
  }

  /**
   * Looks up the open deals of many contacts at once where the connector can (one or two calls
   * instead of one or two per contact); openDeal then answers from what was found. A failure
   * here is left to openDeal, which asks per contact and defers what it cannot learn.
   */
  async prefetchOpenDeals(contacts: CrmRef[]): Promise<void> {
    const fresh = [...new Map(contacts.filter((c) => !this.deals.has(c.id)).map((c) => [c.id, c])).values()];
    if (!fresh.length || !this.connector.findOpenDeals) return;
    let found: Map<string, CrmRef>;
    try {
      found = await this.connector.findOpenDeals(this.ctx, fresh);
    } catch {
      return;
    }
    for (const c of fresh) this.deals.set(c.id, Promise.resolve(found.get(c.id)));
  }

  /** A sync-log entry, written with the settling of the record it names (see PendingOutcomes). */
  log(entry: LogEntry): void {
    this.outcomes.log(this.entry(entry));
  }

  /** Where the CRM put what this item wrote, saved with the item's outcome. */
  link(item: SyncItemTable, link: CrmLink): void {
    this.outcomes.link(item, link);
  }

  /**
   * Writes the outcomes held so far (settlings, deferrals, their log entries and links) in one
   * transaction. Call after each CRM batch, so that what the CRM holds is soon on record.
   */
  commit(): Promise<void> {
    return this.outcomes.commit();
  }

  private entry(entry: LogEntry): NewSyncLog {
    return {
      workspace_id: this.connection.workspace_id,
      connection_id: this.connection.id,
      crm: this.connection.crm,
      direction: 'outbound',
      attempts: entry.attempts ?? 1,
      ...entry,
    };
  }

  /** Call just before these items' CRM writes; see CanonicalContact.maybeWritten. */
  markWriteStarted(items: SyncItemTable[]): Promise<void> {
    return markWriteStarted(this.store.db, this.connection.id, items, this.now());
  }

  /** The item is done with `version`; written at the next commit. */
  settle(item: SyncItemTable, version: number, state: 'synced' | 'skipped' | 'failed', note: string | null): void {
    this.outcomes.end(item, { settle: { version, state, note } });
  }

  /** A failure retrying can fix: try the item again later, backing off with its attempts. Written at the next commit. */
  defer(item: SyncItemTable, error: CrmError): void {
    const retryAt = retryTime(item.attempts, this.now(), error.details.retryAfterMs);
    this.outcomes.end(item, { defer: { retryAt, error: error.message } });
    // One `pending` entry per deferral, saying when: the entry of the next attempt follows it.
    this.log({
      operation: 'retry',
      entity_type: item.entity_type,
      entity_id: item.entity_id,
      client_id: item.entity_type === 'client' ? item.entity_id : null,
      status: 'pending',
      crm_record_id: null,
      attempts: item.attempts + 1,
      message: retryMessage(error.message, retryAt),
      action: actionFor(error, this.crmName),
    });
  }
}

type LogEntry = Omit<NewSyncLog, 'workspace_id' | 'connection_id' | 'crm' | 'direction' | 'attempts'> & { attempts?: number };

/** What an admin should do about a failure, in words (PRODUCT.md U4). */
export function actionFor(error: CrmError, crmName: string): string {
  switch (error.kind) {
    case 'auth':
      return `Reconnect ${crmName} from its connection page.`;
    case 'forbidden':
      return `Give the connected ${crmName} user the permission named in the message, then use Sync Now.`;
    case 'invalid':
      return 'Fix the value named in the message (in the platform or in the field mapping); the record syncs again when it changes.';
    case 'not_found':
      return `The record no longer exists in ${crmName}; it will be matched or created again on its next change.`;
    case 'malformed':
      return `Check that the connection points at ${crmName}'s API (Test Connection says what answered); the record syncs again when it changes.`;
    default:
      return 'Nothing: crm-sync retries by itself.';
  }
}

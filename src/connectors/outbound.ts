import type { CrmError } from './errors.js';
import type { CrmHttp, CrmResponse } from './http/client.js';
import type { ConnectionTarget } from './types.js';

/**
 * What the sync engine asks a CRM to hold, in crm-sync's own terms. Each connector maps
 * these to its vendor's objects (a HubSpot contact, a Salesforce Lead or Contact, ...).
 *
 * Merge rule (PRODUCT.md Y5): a field that is undefined here must not be sent at all, so an
 * update never blanks out what the CRM has. The engine leaves out every empty value.
 */
export interface CanonicalContact {
  /** Our client id. Connectors store it where the CRM allows (an external id field or a unique property) so that a replay upserts instead of creating. */
  clientId: string;
  firstName?: string;
  lastName?: string;
  /** Lower-cased; the first is the primary. */
  emails: string[];
  /** E.164; the first is the primary. */
  phones: string[];
  company?: string;
  address?: { street?: string; city?: string; state?: string; zip?: string; country?: string };
  /** The CRM user who owns the record (resolved by the engine through `findOwnerByEmail`). */
  ownerId?: string;
  /** When first and last name are unknown (PRODUCT.md S6): e.g. "New WhatsApp contact: +34600111222". */
  fallbackName: string;
  /** Mapped fields, already coerced to the CRM property's type: CRM property name -> value. */
  properties: Record<string, string | number | boolean>;
  /** Value for the lead source field where the CRM has one (e.g. "crm-sync"). */
  leadSource?: string;
  /** The link to the client's latest chat, for CRMs with a chat-link field. */
  chatUrl?: string;
  /** The client's company as already synced to this CRM (PRODUCT.md Y4): associate the contact with it. */
  companyRef?: CrmRef;
  /**
   * An earlier attempt to write this client may have committed without an answer (a timeout,
   * a crash): look for the record it may have written before creating. When false, no attempt
   * was made, so a connector may skip that read. Undefined: the connector cannot know; look.
   */
  maybeWritten?: boolean;
}

/** A company (account, organization) as the engine asks a CRM to hold it (PRODUCT.md Y4). */
export interface CanonicalCompany {
  /** Our company id; connectors store it where the CRM allows so that a replay updates instead of creating. */
  companyId: string;
  name?: string;
  /** Normalised web domain, e.g. acme.io. */
  domain?: string;
  /** The company's id in the platform's own account system: matched first, before the domain. */
  externalAccountId?: string;
  /** Mapped fields, already coerced: CRM property name -> value. */
  properties: Record<string, string | number | boolean>;
}

/** A deal or opportunity to create for a contact on request (PRODUCT.md S8). */
export interface CanonicalDeal {
  /** Our deal id. A replay with the same key must not create a second deal, also after a timeout. */
  key: string;
  contact: CrmRef;
  company?: CrmRef;
  title: string;
  amount?: number;
  /** ISO 4217, e.g. EUR. */
  currency?: string;
  /** YYYY-MM-DD. */
  closeDate?: string;
  ownerId?: string;
}

/** A record in the CRM. `object` is the vendor's object name: contacts, Lead, Contact, ... */
export interface CrmRef {
  object: string;
  id: string;
}

export type ActivityKind = 'note' | 'task' | 'call' | 'meeting' | 'transcript';

/** A note, task, call, meeting or transcript about a contact. */
export interface CanonicalActivity {
  /**
   * Stable idempotency key (the same activity always carries the same key). A connector must
   * make a replay with the same key a no-op, also after an uncertain outcome (a timeout after
   * the CRM committed): store the key on the record and look it up before creating again.
   */
  key: string;
  kind: ActivityKind;
  contact: CrmRef;
  /** The contact's open deal or opportunity to associate too (PRODUCT.md S8), when found. */
  deal?: CrmRef;
  subject: string;
  /** Plain text; connectors convert to the CRM's format (HTML for HubSpot notes, ...). */
  body: string;
  /** ISO 8601: when it happened (notes, calls, meetings, transcripts). */
  occurredAt: string;
  /** ISO 8601: tasks' due date; meetings' and calls' end. */
  dueAt?: string;
  endAt?: string;
  ownerId?: string;
  /**
   * Set when this key was written before and its content has grown since (a day's chat note
   * with more messages, PRODUCT.md S5): update that record's subject and body instead of
   * creating one.
   */
  replaces?: CrmRef;
  /** As CanonicalContact.maybeWritten: false means no earlier attempt to write this key was made. */
  maybeWritten?: boolean;
}

export type RecordOutcome<R = CrmRef> = { ok: true; ref: R; created: boolean } | { ok: false; error: CrmError };

/** A CRM property, for field mapping and picklist checks. */
export interface CrmProperty {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'picklist' | 'other';
  /** Allowed values of a picklist. */
  options?: string[];
  readOnly: boolean;
}

/**
 * How a connector reaches its CRM during a sync: `http` already adds authentication, refreshes
 * on a 401, retries 429/5xx/timeouts with backoff and keeps within the rate budget; it throws
 * a CrmError only when retrying cannot help (or the attempts ran out).
 */
export interface OutboundContext {
  http: CrmHttp;
  /** The base of API calls (connector.apiBase(target)). */
  apiBase: string;
  target: ConnectionTarget;
  /** Where a connector may keep what it learned for the connection's lifetime (property ids, custom field names). */
  cache: Map<string, unknown>;
  /** The connection's destination choices (used by CRMs where the admin picks the module and fields). */
  destination: DestinationSettings;
  /**
   * Durable notes of creates whose outcome may be unknown, for CRMs without idempotency keys:
   * `note` before the call (the first time is kept), `clear` once the outcome is certain,
   * `since` when the earliest unsettled attempt began. Kept in the database, so a retry by
   * another worker (after a crash, a lease takeover) sees them. Absent outside a worker.
   */
  ledger?: CreateLedger;
}

export interface CreateLedger {
  note(key: string): Promise<void>;
  clear(key: string): Promise<void>;
  since(key: string): Promise<number | undefined>;
}

export interface OutboundConnector {
  /** Records per batched write (1 where the vendor has no batch endpoint). */
  batchSize: number;
  /** Finds existing CRM records for these clients: by e-mail first, then by phone. Map clientId -> ref. */
  matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>>;
  /**
   * Creates or updates contacts, one outcome per item in the same order. `existing` is the
   * matched or linked record. Idempotent by clientId: a replay must not create a second record.
   * A bad record fails alone (split or read partial results), never the whole batch.
   */
  upsertContacts(ctx: OutboundContext, items: { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean }[]): Promise<RecordOutcome[]>;
  /** Writes activities, one outcome per item in order; idempotent by key. */
  writeActivities(ctx: OutboundContext, items: CanonicalActivity[]): Promise<RecordOutcome[]>;
  findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined>;
  /** The contact's open deal or opportunity, if any. */
  findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined>;
  /**
   * The open deals of many contacts in a few calls (contact id -> deal; a contact without one is
   * absent). Where a connector has it the engine asks once per pass instead of once per contact.
   */
  findOpenDeals?(ctx: OutboundContext, contacts: CrmRef[]): Promise<Map<string, CrmRef>>;
  /** Finds existing CRM companies: by external account id first, then by domain. Map companyId -> ref. */
  matchCompanies?(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>>;
  /** Creates or updates companies, one outcome per item in order; idempotent by companyId. */
  upsertCompanies?(ctx: OutboundContext, items: { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean }[]): Promise<RecordOutcome[]>;
  /** Creates a deal or opportunity for a contact (PRODUCT.md S8); idempotent by key. */
  createDeal?(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome>;
  /** The contact object's properties (types, picklist options), for mapping and coercion. */
  describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]>;
  /**
   * Activation (PRODUCT.md K8): prove the settings work by writing a test record as a real sync
   * would (then removing it where the CRM allows). Resolves with what was written; rejects with
   * a CrmError saying what failed.
   */
  activate?(ctx: OutboundContext, settings: DestinationSettings): Promise<{ record: CrmRef; removed: boolean }>;
  /**
   * The vendor's reading of an answer the shared layer would otherwise judge by its status:
   * `retry` for a failure retrying can fix, a CrmError for one it cannot, `pass` to let the
   * connector read it, undefined for the shared default. (Salesforce's daily limit is a 403;
   * Odoo answers a bad value with a 500.)
   */
  classify?(res: CrmResponse): CrmError | 'pass' | undefined;
}

/** Where records go, for CRMs where the admin chooses (Zoho: PRODUCT.md S4). */
export interface DestinationSettings {
  /** The module (object) to sync contacts into: only modules with a phone field. */
  module?: string;
  /** The field that holds the phone (e.g. Phone or Mobile). */
  phoneField?: string;
  /** The field that holds the name (e.g. Last_Name). */
  nameField?: string;
  /** The field for the link to the chat. */
  chatLinkField?: string;
  /** The lead source field, and the value written to it. */
  leadSourceField?: string;
  leadSourceValue: string;
}

import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them. Times are UTC epoch milliseconds; JSON columns are
 * text on SQLite and jsonb on PostgreSQL (read them with `readJson`); booleans are 0/1.
 */
export interface Database {
  workspaces: WorkspaceTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  clients: ClientTable;
  client_identities: ClientIdentityTable;
  client_segments: ClientSegmentTable;
  companies: CompanyTable;
  deals: DealTable;
  conversations: ConversationTable;
  conversation_participants: ConversationParticipantTable;
  messages: MessageTable;
  analyses: AnalysisTable;
  outbox: OutboxTable;
  crm_links: CrmLinkTable;
  sync_logs: SyncLogTable;
  audit_log: AuditLogTable;
  connections: ConnectionTable;
  oauth_states: OAuthStateTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  sync_items: SyncItemTable;
  crm_quotas: CrmQuotaTable;
  crm_create_notes: CrmCreateNoteTable;
}

export type Json = string | unknown;

export interface WorkspaceTable {
  id: string;
  name: string;
  /** ISO 3166 alpha-2 country used to read phone numbers written without a country code. */
  default_country: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: 'owner' | 'settings_admin' | 'member';
  password_hash: string;
  created_at: number;
}

export interface ApiKeyTable {
  id: string;
  workspace_id: string;
  name: string;
  /** SHA-256 of the secret part; the key itself is shown once and never stored. */
  secret_hash: string;
  scopes: Json;
  created_at: number;
  /** The audit actor that created it (`user:<id>`, `api_key:<id>`, `cli`, `system`); null before 010. */
  created_by: string | null;
  /** Updated at most once a minute per process, so a busy ingest key costs no write per request. */
  last_used_at: number | null;
  /** Set when revoked; a future time while a rotated key's grace period runs. */
  revoked_at: number | null;
}

export interface ClientTable {
  workspace_id: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  company_id: string | null;
  owner_email: string | null;
  address: Json | null;
  properties: Json;
  /** The whole accepted body, normalised, as JSON: what GET returns. */
  body: Json;
  /** Hash of `body`: an identical PUT changes nothing and creates no sync work. */
  content_hash: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ClientIdentityTable {
  workspace_id: string;
  client_id: string;
  kind: 'email' | 'phone';
  /** Lower-cased e-mail, or E.164 phone: what matching uses. */
  value: string;
  raw: string;
  position: number;
}

export interface ClientSegmentTable {
  workspace_id: string;
  client_id: string;
  segment: string;
}

export interface CompanyTable {
  workspace_id: string;
  id: string;
  name: string | null;
  domain: string | null;
  external_account_id: string | null;
  body: Json;
  content_hash: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** A deal the platform asked crm-sync to create for a client (PRODUCT.md S8). */
export interface DealTable {
  workspace_id: string;
  id: string;
  client_id: string;
  body: Json;
  content_hash: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ConversationTable {
  workspace_id: string;
  id: string;
  channel: string | null;
  is_group: number;
  title: string | null;
  url: string | null;
  started_at: number | null;
  ended_at: number | null;
  qualification_status: 'pending' | 'qualified' | 'unqualified' | null;
  qualification_provisional: number;
  qualification_score: number | null;
  /** The conversation's fields without its messages, normalised. */
  body: Json;
  content_hash: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ConversationParticipantTable {
  workspace_id: string;
  conversation_id: string;
  /** A participant is a known client, or only an e-mail or phone (matched to a client later). */
  kind: 'client' | 'email' | 'phone';
  value: string;
  position: number;
}

export interface MessageTable {
  workspace_id: string;
  conversation_id: string;
  id: string;
  direction: 'inbound' | 'outbound';
  author: string | null;
  text: string;
  sent_at: number;
  attachments: Json;
  content_hash: string;
  created_at: number;
  updated_at: number;
}

export interface AnalysisTable {
  workspace_id: string;
  conversation_id: string;
  summary: string | null;
  key_notes: Json;
  commitments: Json;
  specific_fields: Json;
  updated_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  workspace_id: string;
  entity_type: 'client' | 'company' | 'conversation' | 'deal';
  entity_id: string;
  /**
   * `refreshed`: the record did not change but what it syncs as did, because of a new record
   * (a new conversation's specific fields for its clients); due at once, like a new record.
   */
  change: 'created' | 'updated' | 'refreshed';
  /** The entity's version this change produced; a worker syncs the newest version it finds. */
  version: number;
  created_at: number;
  available_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
  processed_at: number | null;
}

export interface CrmLinkTable {
  workspace_id: string;
  connection_id: string;
  entity_type: string;
  entity_id: string;
  crm_object: string;
  crm_id: string;
  /** Hash of what was written under an activity key (null for records). */
  content_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface SyncLogTable {
  id: Generated<number>;
  workspace_id: string;
  connection_id: string | null;
  crm: string | null;
  direction: 'outbound' | 'inbound';
  operation: string;
  entity_type: string | null;
  entity_id: string | null;
  client_id: string | null;
  status: 'pending' | 'success' | 'failed' | 'skipped';
  crm_record_id: string | null;
  attempts: number;
  message: string | null;
  action: string | null;
  created_at: number;
  updated_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: string;
  /** `user:<id>`, `api_key:<id>`, `cli` or `system`. */
  actor: string;
  action: string;
  target: string | null;
  details: Json;
  created_at: number;
}

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'error' | 'disconnected';

export interface ConnectionTable {
  id: string;
  workspace_id: string;
  crm: string;
  status: ConnectionStatus;
  auth_method: 'oauth' | 'api_key' | 'service';
  /** Where it points: baseUrl, region, tenantId, instanceUrl, apiUrl. Not secret. */
  target: Json;
  settings: Json;
  account_label: string | null;
  credentials: string | null;
  token_expires_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  last_checked_at: number | null;
  connected_by: string;
  refresh_lease_owner: string | null;
  refresh_lease_expires_at: number | null;
  /** The last outbox id this connection has taken into its sync items. */
  outbox_cursor: number;
  /** The worker that drives this connection now (it owns the rate budget). */
  sync_lease_owner: string | null;
  sync_lease_expires_at: number | null;
  last_sync_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthStateTable {
  /** SHA-256 of the state: the state itself travels only through the browser. */
  state_hash: string;
  workspace_id: string;
  crm: string;
  actor: string;
  target: Json;
  code_verifier: string;
  return_to: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Hash of the session token of the browser that started; null for a start with an API key. */
  session_hash: string | null;
}

/** Failed sign-ins of one account or client address within the current window. */
export interface SignInAttemptTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** Calls spent against one connection's daily API allocation on one UTC day. */
export interface CrmQuotaTable {
  connection_id: string;
  /** UTC yyyy-mm-dd. */
  day: string;
  used: number;
  limit: number;
}

export interface SyncItemTable {
  connection_id: string;
  workspace_id: string;
  entity_type: 'client' | 'company' | 'conversation' | 'deal';
  entity_id: string;
  /** The newest version of the record waiting to be synced. */
  pending_version: number;
  /** The version the CRM has (0: never synced). */
  synced_version: number;
  due_at: number;
  attempts: number;
  state: 'pending' | 'synced' | 'skipped' | 'failed';
  /** The last failure, or why the record was skipped. */
  last_error: string | null;
  updated_at: number;
  /** A CRM write of this item began then and has not settled since (migration 008): it may have committed. */
  write_started_at: number | null;
}

/** A create a connector began and whose outcome is not yet certain (migration 007). */
export interface CrmCreateNoteTable {
  connection_id: string;
  key: string;
  started_at: number;
}

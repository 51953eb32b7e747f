// Shapes of the HTTP API's answers (GET /openapi.json), as far as the UI reads them.

export type Role = 'owner' | 'settings_admin' | 'member';
export interface Session {
  user: { id: string; email: string; name: string; role: Role; workspaceId: string };
  csrfToken: string;
}

export type AuthMethod = 'oauth' | 'api_key' | 'service';
export interface CrmField {
  name: string;
  label: string;
  help: string;
  secret: boolean;
  required: boolean;
}
export interface CrmInfo {
  id: string;
  name: string;
  authMethods: AuthMethod[];
  fields: { api_key: CrmField[]; service: CrmField[]; target: CrmField[] };
}

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'error' | 'disconnected';

export interface FieldMapping {
  source: string;
  target: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'picklist';
}
export type OwnerSetting = { mode: 'match_email' } | { mode: 'connecting_user' } | { mode: 'fixed'; crmUserId: string };
export interface Destination {
  module?: string;
  phoneField?: string;
  nameField?: string;
  chatLinkField?: string;
  leadSourceField?: string;
  leadSourceValue?: string;
}
export const OBJECT_KINDS = ['contacts', 'companies', 'notes', 'tasks', 'activities', 'transcripts', 'properties'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export interface Settings {
  enabled: boolean;
  objects: Record<ObjectKind, boolean>;
  writePolicy: 'update_only' | 'create_and_update';
  syncQualifiedOnly: boolean;
  segments: string[];
  updateIntervalMinutes: number;
  fieldMappings: FieldMapping[];
  owner: OwnerSetting;
  dealAssociation: 'open_deal' | 'off';
  /** Where clients go, for CRMs that offer a choice (GET .../destinations). */
  destination?: Destination;
  active?: boolean;
}
/** In a patch, `null` clears a destination choice; a key left out keeps it. */
export type DestinationPatch = { [K in Exclude<keyof Destination, 'leadSourceValue'>]?: string | null } & { leadSourceValue?: string };
export type SettingsPatch = Partial<Omit<Settings, 'updateIntervalMinutes' | 'destination'>> & { updateIntervalMinutes?: number | string; destination?: DestinationPatch };

export interface Connection {
  id: string;
  crm: string;
  status: ConnectionStatus;
  authMethod: AuthMethod;
  target: { baseUrl?: string; region?: string; tenantId?: string; instanceUrl?: string; apiUrl?: string };
  account: string | null;
  settings: Settings;
  lastError: string | null;
  lastErrorAt: string | null;
  lastCheckedAt: string | null;
  connectedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** POST /v1/connections/{id}/activate: the test record written with the saved settings. */
export interface Activation {
  connection: Connection;
  testRecord: { object: string; id: string; removed: boolean };
}

export interface DestinationFieldRef {
  apiName: string;
  label: string;
}
export interface DestinationModule {
  apiName: string;
  label: string;
  phoneFields: DestinationFieldRef[];
  textFields: DestinationFieldRef[];
  picklistFields: (DestinationFieldRef & { options: string[] })[];
}
/** GET /v1/connections/{id}/destinations: the choice as the CRM asks it, and the modules to choose from. */
export interface DestinationOffer {
  /** The question, e.g. "Module" or "New clients become". */
  label: string;
  help: string;
  /** The module used while none is chosen. */
  defaultModule: string;
  /** Whether each module also offers fields to choose (phone, name, chat link, lead source). */
  fieldChoices: boolean;
  modules: DestinationModule[];
}

export interface CrmProperty {
  name: string;
  label: string;
  type: FieldMapping['type'] | 'other';
  options?: string[];
  readOnly: boolean;
}

export type LogStatus = 'pending' | 'success' | 'failed' | 'skipped';
export interface SyncLogEntry {
  id: number;
  time: string;
  connectionId: string | null;
  crm: string | null;
  direction: 'outbound' | 'inbound';
  operation: string;
  clientId: string | null;
  entityType: string | null;
  entityId: string | null;
  status: LogStatus;
  crmRecordId: string | null;
  attempts: number;
  message: string | null;
  action: string | null;
}
export interface SyncLogPage {
  items: SyncLogEntry[];
  nextCursor: string | null;
}

export interface AuditEntry {
  id: number;
  time: string;
  /** `user:<id>`, `api_key:<id>`, `cli` or `system`. */
  actor: string;
  /** The user's e-mail, the API key's name, or the actor. */
  actorName: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface SandboxCrm {
  name: string;
  baseUrl: string;
  instanceUrl?: string;
  credentials: Record<string, unknown>;
}
export interface SandboxControl {
  origin: string;
  crms: Record<string, SandboxCrm>;
}

export type ApiKeyScope = 'ingest' | 'admin';
/** GET /v1/api-keys: never the secret. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  /** In the future while a rotated key's grace period runs. */
  revokedAt: string | null;
}
/** POST /v1/api-keys and .../rotate: the only answers that hold the key. */
export interface NewApiKey extends ApiKey {
  key: string;
}

/** GET /v1/connections/{id}/progress. */
export interface ConnectionProgress {
  connectionId: string;
  total: number;
  /** Synced or skipped, with nothing newer to write. */
  done: number;
  synced: number;
  skipped: number;
  failed: number;
  /** due + waiting */
  pending: number;
  due: number;
  waiting: number;
  retrying: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  paused: { reason: string; until: string | null } | null;
  measuredAt: string;
}

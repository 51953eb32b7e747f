import { IdSequence, Table } from '../kit/table.js';
import type { ActivityRow, ClientRow, FieldRow, UserRow, WebhookRow } from './model.js';

const SEEDED_AT = Date.UTC(2024, 0, 15, 9, 0, 0);

const SEED_USERS: Omit<UserRow, 'createdAt' | 'updatedAt'>[] = [
  { id: 'usr_01', name: 'Sandbox Admin', email: 'admin@sandbox.crm-sync.test', role: 'admin' },
  { id: 'usr_02', name: 'Maria Agent', email: 'maria.agent@sandbox.crm-sync.test', role: 'agent' },
  { id: 'usr_03', name: 'Tom Agent', email: 'tom.agent@sandbox.crm-sync.test', role: 'agent' },
];

const SEED_FIELDS: Omit<FieldRow, 'id' | 'createdAt' | 'updatedAt'>[] = [
  { key: 'plan', label: 'Plan', type: 'picklist', options: ['free', 'pro', 'enterprise'] },
  { key: 'lead_score', label: 'Lead score', type: 'number', options: null },
  { key: 'vip', label: 'VIP', type: 'boolean', options: null },
  { key: 'source', label: 'Source', type: 'text', options: null },
];

/** A stored answer to replay for a repeated Idempotency-Key. */
export interface IdempotentAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
  expiresAt: number;
}

/** Ids carry a type prefix and a zero-padded sequence, so they sort in creation order. */
const pad = (prefix: string, n: number) => `${prefix}_${String(n).padStart(6, '0')}`;

export class AutoChatState {
  readonly users = new Table<UserRow>('users');
  readonly clients = new Table<ClientRow>('clients');
  readonly activities = new Table<ActivityRow>('activities');
  readonly fields = new Table<FieldRow>('fields');
  readonly webhooks = new Table<WebhookRow>('webhooks');
  readonly idempotency = new Map<string, IdempotentAnswer>();
  /** Activity idempotency keys (per account) -> activity id: the lookup a keyed create makes. */
  private readonly activityKeys = new Map<string, string>();
  readonly seq = { cli: new IdSequence(), act: new IdSequence(), fld: new IdSequence(), whk: new IdSequence(), evt: new IdSequence() };

  constructor() {
    this.reset();
  }

  nextId(prefix: keyof AutoChatState['seq']): string {
    return pad(prefix, this.seq[prefix].take());
  }

  reset(): void {
    for (const t of [this.users, this.clients, this.activities, this.fields, this.webhooks]) t.clear();
    for (const s of Object.values(this.seq)) s.reset();
    this.idempotency.clear();
    this.activityKeys.clear();
    for (const u of SEED_USERS) this.users.insert({ ...u, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    for (const f of SEED_FIELDS) this.fields.insert({ ...f, id: this.nextId('fld'), createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
  }

  /** The activity that carries this idempotency key, if it still exists (deleting a client deletes its activities). */
  activityByKey(key: string): ActivityRow | undefined {
    const id = this.activityKeys.get(key);
    return id === undefined ? undefined : this.activities.get(id);
  }

  /** Stores an activity, indexing its idempotency key. */
  insertActivity(row: Omit<ActivityRow, 'createdAt' | 'updatedAt'>): ActivityRow {
    const stored = this.activities.insert(row);
    if (stored.idempotency_key !== null) this.activityKeys.set(stored.idempotency_key, stored.id);
    return stored;
  }

  fieldByKey(key: string): FieldRow | undefined {
    return this.fields.find((f) => f.key === key);
  }
}

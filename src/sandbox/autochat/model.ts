import type { Stamped } from '../kit/table.js';
import type { ACTIVITY_TYPES, FIELD_TYPES } from './facts.js';

export interface UserRow extends Stamped {
  name: string;
  email: string;
  role: 'admin' | 'agent';
}

export interface ClientRow extends Stamped {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  owner_id: string | null;
  external_id: string | null;
  fields: Record<string, unknown>;
}

export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface ActivityRow extends Stamped {
  client_id: string;
  type: ActivityType;
  title: string;
  body: string | null;
  due_at: string | null;
  occurred_at: string | null;
  assignee_id: string | null;
  /** The writer's key for this activity, unique in the account: a create with a known key returns this activity instead. */
  idempotency_key: string | null;
}

export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldRow extends Stamped {
  key: string;
  label: string;
  type: FieldType;
  options: string[] | null;
}

export interface WebhookRow extends Stamped {
  url: string;
  events: string[];
  secret: string;
  api_key_id: string;
}

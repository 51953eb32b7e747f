/** AutoChat CRM's facts: the seeded account, its keys and its documented limits (docs/autochat-api.md). */
export const ACCOUNT = { id: 'acc_sandbox', name: 'Sandbox Inc' };

export interface ApiKey {
  id: string;
  name: string;
  secret: string;
}

/** Two keys, so an integration can tell its own writes (origin.api_key_id) from other writers'. */
export const API_KEYS: ApiKey[] = [
  { id: 'key_01HSYNC', name: 'crm-sync integration', secret: 'ac_live_4f9d2c7a1b8e4d6f9a0c3e5b7d1f2a4c' },
  { id: 'key_02HWEB', name: 'Web app', secret: 'ac_live_8b1e6d3f5a7c9e2b4d6f8a0c1e3b5d7f' },
];

export const RATE_LIMIT = { limit: 120, windowMs: 60_000 };
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;
export const MAX_BATCH = 100;
/**
 * `POST /clients/lookup` takes up to 500 e-mails and up to 500 phones: a read with no events to
 * send, so more than a write batch, enough for a sync pass of 500 clients in one call.
 */
export const MAX_LOOKUP = 500;
/** Idempotency keys, the header's and an activity's, are 1-255 characters. */
export const IDEMPOTENCY_KEY_MAX = 255;
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
export const ACTIVITY_TYPES = ['note', 'task', 'call', 'meeting', 'message'] as const;
export const FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'picklist'] as const;
export const WEBHOOK_EVENTS = ['client.created', 'client.updated', 'client.deleted', 'activity.created', 'activity.updated'] as const;

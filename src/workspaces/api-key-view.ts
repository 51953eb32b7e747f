import { z } from 'zod';
import { API_KEY_SCOPES } from '../auth/api-keys.js';
import type { ApiKeyTable } from '../store/schema.js';
import { readJson } from '../store/store.js';

/** A rotation may leave the old key working this long, so senders can switch without failed requests. */
export const MAX_GRACE_SECONDS = 3600;

/** What an admin sees of a key: never its secret or the secret's hash. */
export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  /** `user:<id>`, `api_key:<id>`, `cli`, `system`, or null for a key older than this field. */
  createdBy: z.string().nullable(),
  /** To the minute: uses are noted at most once a minute. */
  lastUsedAt: z.string().nullable(),
  /** When it stopped, or stops (a rotated key's grace period); null while it works. */
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

/** A key just created or rotated: the only time the whole key is shown. */
export const NewApiKeyView = ApiKeyView.extend({ key: z.string().describe('The API key (csk_...), shown only in this answer: store it now') });
export type NewApiKeyView = z.infer<typeof NewApiKeyView>;

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').describe('What the key is for, e.g. "Platform ingest"'),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'must hold at least one scope: ingest, admin').max(10).describe('ingest: push data in; admin: manage connections, settings and keys. Admin does not include ingest.'),
  })
  .strict();
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

/** A query, not a body: a plain POST with no body rotates at once. */
export const RotateApiKeyQuery = z
  .object({
    graceSeconds: z.coerce.number().int().min(0).max(MAX_GRACE_SECONDS, `must be at most ${MAX_GRACE_SECONDS} (an hour)`).optional().describe('How long the old key keeps working; default 0: it stops at once'),
  })
  .strict();

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function apiKeyView(row: ApiKeyTable): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scopes: readJson<ApiKeyView['scopes']>(row.scopes),
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

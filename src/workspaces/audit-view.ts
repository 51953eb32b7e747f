import { z } from 'zod';
import { LogPageQuery } from '../domain/schema-parts.js';

/** One change on record: who did what to what, when. */
export const AuditEntryView = z.object({
  id: z.number(),
  time: z.string(),
  /** `user:<id>`, `api_key:<id>`, `cli` or `system`. */
  actor: z.string(),
  /** The actor in words: the user's e-mail, the API key's name, or `system`. */
  actorName: z.string(),
  /** e.g. `connection.settings_changed`, `api_key.revoked`, `user.added`. */
  action: z.string(),
  /** The id of what changed: a connection, an API key, a user, the workspace. */
  target: z.string().nullable(),
  /** What changed (never a secret). */
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditPageView = z.object({ items: z.array(AuditEntryView), nextCursor: z.string().nullable() });
export type AuditPageView = z.infer<typeof AuditPageView>;

export const AuditQuery = z
  .object({
    connectionId: z.string().max(100).optional().describe('Changes to this connection'),
    actor: z.string().max(320).optional().describe('`user:<id>`, `api_key:<id>`, `system`, or a user’s e-mail'),
    action: z.string().max(100).optional().describe('An action, e.g. `connection.activated`'),
    ...LogPageQuery,
  })
  .strict();
export type AuditQuery = z.input<typeof AuditQuery>;

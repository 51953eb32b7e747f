import { z } from 'zod';

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
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    // A nextCursor is an entry id: never beyond what a JS number holds exactly (nor PostgreSQL's bigint).
    cursor: z
      .string()
      .regex(/^\d{1,16}$/, 'must be the nextCursor of a previous page')
      .refine((v) => Number(v) <= Number.MAX_SAFE_INTEGER, 'must be the nextCursor of a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type AuditQuery = z.input<typeof AuditQuery>;

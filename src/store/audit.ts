import { sql } from 'kysely';
import { writeJson, type Db, type Tx } from './store.js';

export interface AuditEntry {
  workspaceId: string;
  actor: string;
  action: string;
  target?: string;
  /** Never a secret: callers pass what changed, not credentials. */
  details?: Record<string, unknown>;
}

export async function appendAudit(tx: Tx, e: AuditEntry, now = Date.now()): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({ workspace_id: e.workspaceId, actor: e.actor, action: e.action, target: e.target ?? null, details: writeJson(e.details ?? {}), created_at: now })
    .execute();
}

export interface AuditFilter {
  workspaceId: string;
  /** Entries whose target is this (a connection's id). */
  target?: string;
  /** `user:<id>`, `api_key:<id>`, `system`, or a user's e-mail. */
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
  /** The id of the last entry of the previous page (newest first). */
  before?: number;
  limit: number;
}

/**
 * Newest first, with cursor pagination by id, each entry with its actor's e-mail or key name
 * (joined here, so a page is one query; a deleted user or key leaves them null).
 */
export async function listAudit(db: Db | Tx, f: AuditFilter) {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', (j) => j.on(sql<boolean>`a.actor = 'user:' || u.id`).onRef('u.workspace_id', '=', 'a.workspace_id'))
    .leftJoin('api_keys as k', (j) => j.on(sql<boolean>`a.actor = 'api_key:' || k.id`).onRef('k.workspace_id', '=', 'a.workspace_id'))
    .select(['a.id', 'a.actor', 'a.action', 'a.target', 'a.details', 'a.created_at', 'u.email as user_email', 'k.name as key_name'])
    .where('a.workspace_id', '=', f.workspaceId);
  if (f.target) q = q.where('a.target', '=', f.target);
  if (f.actor) q = f.actor.includes('@') ? q.where('u.email', '=', f.actor.trim().toLowerCase()) : q.where('a.actor', '=', f.actor);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.from !== undefined) q = q.where('a.created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('a.created_at', '<', f.to);
  if (f.before !== undefined) q = q.where('a.id', '<', f.before);
  return q.orderBy('a.id', 'desc').limit(f.limit).execute();
}

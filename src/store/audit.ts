import { writeJson, type Tx } from './store.js';

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

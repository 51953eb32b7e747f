import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { logPageWindow } from '../../domain/schema-parts.js';
import { listAudit } from '../../store/audit.js';
import { readJson, type Store } from '../../store/store.js';
import { AuditPageView, AuditQuery } from '../../workspaces/audit-view.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

/**
 * The audit trail is for the people who administer the workspace: the owner, Settings Admins
 * and admin-scoped API keys (which act as the owner). Members see connections and sync logs,
 * but not who holds which key or who added whom.
 */
function requireAuditReader(store: Store) {
  const admin = requireAdmin(store, { write: false });
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await admin(req, reply);
    if (principalOf(req).role === 'member') throw new AppError('forbidden', 'Only the workspace owner or a Settings Admin can read the audit log; ask one of them.');
  };
}

/** A readable name for an actor: the user's e-mail, the key's name, or the actor itself (`system`, `cli`, a deleted user). */
function actorName(actor: string, userEmail: string | null, keyName: string | null): string {
  if (userEmail) return userEmail;
  if (keyName) return `API key “${keyName}”`;
  return actor;
}

export async function auditRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/audit',
    {
      onRequest: requireAuditReader(store),
      schema: {
        tags: ['admin'],
        summary: 'Audit log: who changed what, newest first, with filters and cursor pagination (owner and Settings Admins)',
        querystring: AuditQuery,
        response: { 200: AuditPageView, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query;
      const rows = await listAudit(store.db, {
        workspaceId: p.workspaceId,
        target: q.connectionId,
        actor: q.actor,
        action: q.action,
        ...logPageWindow(q),
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((a) => ({
          id: Number(a.id),
          time: new Date(Number(a.created_at)).toISOString(),
          actor: a.actor,
          actorName: actorName(a.actor, a.user_email, a.key_name),
          action: a.action,
          target: a.target,
          details: readJson<Record<string, unknown>>(a.details),
        })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
      };
    },
  );
}

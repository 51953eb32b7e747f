import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword } from '../../auth/passwords.js';
import { AppError } from '../../errors.js';
import { deleteSession, findSessionUser, insertSession } from '../../store/sessions.js';
import type { Store } from '../../store/store.js';
import { findUserByEmail } from '../../store/users.js';
import { hashToken, newToken, readCookie, requireAdmin, SESSION_COOKIE, SESSION_TTL_MS, sessionCookie } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const SessionView = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(['owner', 'settings_admin', 'member']), workspaceId: z.string() }),
  /** Send it back as X-CSRF-Token on every request that changes something. */
  csrfToken: z.string(),
});

export async function sessionRoutes(app: FastifyInstance, { store, secureCookies }: { store: Store; secureCookies: boolean }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/session',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sign in with e-mail and password (sets an http-only session cookie)',
        security: [],
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) }).strict(),
        response: { 200: SessionView, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const user = await findUserByEmail(store.db, req.body.email.trim().toLowerCase());
      // The same answer for an unknown e-mail and a wrong password: no account probing.
      if (!user || !(await verifyPassword(req.body.password, user.password_hash))) throw new AppError('unauthorized', 'The e-mail or the password is wrong');
      const token = newToken();
      const csrfToken = newToken();
      const now = Date.now();
      await insertSession(store.db, { token_hash: hashToken(token), user_id: user.id, workspace_id: user.workspace_id, csrf_token: csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS });
      reply.header('set-cookie', sessionCookie(token, secureCookies));
      return { user: { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspace_id }, csrfToken };
    },
  );

  r.get(
    '/v1/session',
    { schema: { tags: ['admin'], summary: 'The signed-in user', security: [], response: { 200: SessionView, 401: ErrorBodySchema } } },
    async (req) => {
      const token = readCookie(req, SESSION_COOKIE);
      const s = token ? await findSessionUser(store.db, hashToken(token), Date.now()) : undefined;
      if (!s) throw new AppError('unauthorized', 'Not signed in');
      return { user: { id: s.user.id, email: s.user.email, name: s.user.name, role: s.user.role, workspaceId: s.workspace_id }, csrfToken: s.csrf_token };
    },
  );

  r.delete(
    '/v1/session',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: { tags: ['admin'], summary: 'Sign out', response: { 204: z.null(), 401: ErrorBodySchema, 403: ErrorBodySchema } },
    },
    async (req, reply) => {
      const token = readCookie(req, SESSION_COOKIE);
      if (token) await deleteSession(store.db, hashToken(token));
      reply.header('set-cookie', sessionCookie('', secureCookies, 0));
      return reply.code(204).send(null);
    },
  );
}

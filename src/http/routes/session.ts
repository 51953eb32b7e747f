import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dummyPasswordHash, verifyPassword } from '../../auth/passwords.js';
import { SignInThrottle } from '../../auth/sign-in-throttle.js';
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
  const throttle = new SignInThrottle(store);

  r.post(
    '/v1/session',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sign in with e-mail and password (sets an http-only session cookie)',
        security: [],
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) }).strict(),
        response: { 200: SessionView, 400: ErrorBodySchema, 401: ErrorBodySchema, 429: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      // Checked before the password, so that a locked account refuses even the right one.
      const waitMs = await throttle.waitMs(email, req.ip);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        const e = new AppError('rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minute(s).`);
        return reply.code(429).header('retry-after', String(seconds)).send(e.toBody());
      }
      const user = await findUserByEmail(store.db, email);
      // An unknown e-mail is checked against a dummy hash, and answered as a wrong password,
      // so neither the answer nor its timing tells whether the account exists.
      const matches = await verifyPassword(req.body.password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !matches) {
        await throttle.failed(email, req.ip);
        throw new AppError('unauthorized', 'The e-mail or the password is wrong');
      }
      await throttle.succeeded(email, req.ip);
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

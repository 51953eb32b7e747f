import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { findSessionUser } from '../store/sessions.js';
import type { Store } from '../store/store.js';
import { requireApiKey } from './auth.js';

export const SESSION_COOKIE = 'crm_sync_session';
export const SESSION_TTL_MS = 12 * 60 * 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
export const newToken = () => randomBytes(32).toString('base64url');

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** http-only (no script reads it), SameSite=Lax (not sent on cross-site posts), Secure behind https. */
export function sessionCookie(token: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(maxAgeMs / 1000)}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export interface AdminAccess {
  /** Changing something: only owner and settings_admin (K1). */
  write: boolean;
}

/**
 * Admin routes take an API key with the admin scope, or a signed-in user's session. A
 * session's state-changing requests must echo its CSRF token in X-CSRF-Token, which a
 * page on another site cannot read, so it cannot forge them.
 */
export function requireAdmin(store: Store, access: AdminAccess) {
  const byKey = requireApiKey(store, 'admin');
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (req.headers.authorization) return byKey(req, reply);
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) throw new AppError('unauthorized', 'Sign in, or send an API key with the admin scope');
    const session = await findSessionUser(store.db, hashToken(token), Date.now());
    if (!session) throw new AppError('unauthorized', 'Your session has expired; sign in again');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = Buffer.from(String(req.headers['x-csrf-token'] ?? ''));
      const expected = Buffer.from(session.csrf_token);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        throw new AppError('forbidden', 'Missing or wrong X-CSRF-Token header for this session');
      }
    }
    const ws = await store.db.selectFrom('workspaces').select('default_country').where('id', '=', session.workspace_id).executeTakeFirstOrThrow();
    req.principal = {
      workspaceId: session.workspace_id,
      defaultCountry: ws.default_country,
      scopes: [],
      actor: `user:${session.user_id}`,
      role: session.user.role,
    };
    if (access.write && session.user.role === 'member') {
      throw new AppError('forbidden', 'Only the workspace owner or a Settings Admin can connect, configure or disconnect a CRM; ask one of them.');
    }
  };
}

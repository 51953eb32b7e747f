import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCrmContext } from '../kit/crm.js';
import { RateWindow } from '../kit/rate-window.js';
import { AutoChatError, errorBody } from './errors.js';
import { API_KEYS, IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_TTL_MS, RATE_LIMIT, type ApiKey } from './facts.js';
import type { AutoChatState } from './state.js';

const keys = new WeakMap<FastifyRequest, ApiKey>();

export function apiKeyOf(req: FastifyRequest): ApiKey {
  const key = keys.get(req);
  if (!key) throw new Error('route served without authentication');
  return key;
}

/** Authenticates `Authorization: Bearer ac_live_...`, then spends one call of the key's minute window. */
export function guardApi(ctx: SandboxCrmContext, window: RateWindow) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    const secret = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const key = secret ? API_KEYS.find((k) => k.secret === secret) : undefined;
    if (!key) {
      const message = secret ? 'The API key is not valid' : 'Missing API key: send Authorization: Bearer <key>';
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', message));
    }
    keys.set(req, key);
    const verdict = window.take(key.id, ctx.settings().rateLimitFactor);
    if (Number.isFinite(verdict.limit)) {
      const resetS = Math.max(1, Math.ceil(verdict.resetInMs / 1000));
      reply.headers({ 'ratelimit-limit': String(verdict.limit), 'ratelimit-remaining': String(verdict.remaining), 'ratelimit-reset': String(resetS) });
      if (!verdict.allowed) {
        return reply.code(429).header('retry-after', String(resetS)).send(errorBody('rate_limited', `Rate limit of ${verdict.limit} requests per minute exceeded; retry after ${resetS} s`));
      }
    }
  };
}

export const rateWindow = () => new RateWindow(RATE_LIMIT.limit, RATE_LIMIT.windowMs);

/**
 * Runs a write once per `Idempotency-Key` (per API key, for 24 hours): a repeat
 * with the same body replays the first 2xx answer; a repeat with another body is
 * refused. Failed attempts are not stored, so a corrected retry may reuse the key.
 */
export async function idempotent(state: AutoChatState, req: FastifyRequest, reply: FastifyReply, run: () => { status: number; body: unknown }) {
  const header = req.headers['idempotency-key'];
  if (header === undefined) {
    const answer = run();
    return reply.code(answer.status).send(answer.body);
  }
  if (typeof header !== 'string' || header === '' || header.length > IDEMPOTENCY_KEY_MAX) throw new AutoChatError(400, 'bad_request', `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX} characters`);
  const slot = `${apiKeyOf(req).id}:${header}`;
  const fingerprint = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
  const now = Date.now();
  const stored = state.idempotency.get(slot);
  if (stored && stored.expiresAt > now) {
    if (stored.fingerprint !== fingerprint)
      throw new AutoChatError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
    return reply.code(stored.status).header('idempotency-replayed', 'true').send(stored.body);
  }
  const answer = run();
  state.idempotency.set(slot, { fingerprint, status: answer.status, body: answer.body, expiresAt: now + IDEMPOTENCY_TTL_MS });
  return reply.code(answer.status).send(answer.body);
}

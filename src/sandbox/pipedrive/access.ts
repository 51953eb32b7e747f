import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthServer } from '../kit/oauth.js';
import type { SandboxCrmContext } from '../kit/crm.js';
import { API_TOKENS, tokenCost, type RequestKind } from './facts.js';
import { errorBody, unauthorizedBody } from './errors.js';
import type { PipedriveLimits } from './limits.js';

/** Who is calling: the user behind an api_token or an OAuth access token. */
export interface Caller {
  userId: number;
  via: 'api_token' | 'oauth';
}

const callers = new WeakMap<FastifyRequest, Caller>();

export function callerOf(req: FastifyRequest): Caller {
  const c = callers.get(req);
  if (!c) throw new Error('route served without authentication');
  return c;
}

const USER_BY_TOKEN = new Map(Object.entries(API_TOKENS).map(([id, token]) => [token, Number(id)]));

function authenticate(req: FastifyRequest, oauth: OAuthServer): Caller | undefined {
  const query = req.query as Record<string, unknown>;
  const apiToken = typeof query.api_token === 'string' ? query.api_token : req.headers['x-api-token'];
  if (typeof apiToken === 'string' && apiToken !== '') {
    const userId = USER_BY_TOKEN.get(apiToken);
    return userId === undefined ? undefined : { userId, via: 'api_token' };
  }
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const check = oauth.checkAccess(auth.slice(7).trim());
    return check.ok ? { userId: Number(check.token.userId), via: 'oauth' } : undefined;
  }
  return undefined;
}

/** Classifies a route the way the token costs do: one record, a list, a write, a delete, a search. */
function requestKind(method: string, pattern: string): RequestKind {
  if (/search/i.test(pattern)) return 'search';
  if (method === 'DELETE') return 'delete';
  if (method !== 'GET') return 'write';
  return /:id$|\/me$|\/find$/.test(pattern) ? 'get' : 'list';
}

/** The onRequest hook of every API route: authentication, then the rate limits. */
export function guardApi(oauth: OAuthServer, limits: PipedriveLimits, ctx: SandboxCrmContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = authenticate(req, oauth);
    if (!caller) return reply.code(401).send(unauthorizedBody());
    callers.set(req, caller);
    const pattern = req.routeOptions.url ?? req.url;
    const kind = requestKind(req.method, pattern);
    const version = pattern.includes('/api/v2/') ? 2 : 1;
    const verdict = limits.take(caller.userId, tokenCost(kind, version), ctx.settings().rateLimitFactor);
    reply.headers(verdict.headers);
    if (!verdict.allowed) {
      reply.header('retry-after', String(verdict.retryAfterS ?? 1));
      const message = verdict.refusedBy === 'daily' ? 'Daily API token budget exceeded' : 'Request over limit';
      return reply.code(429).send(errorBody(message));
    }
  };
}

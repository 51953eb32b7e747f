import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../kit/oauth.js';
import type { ZohoDeps, ZohoRouteConfig } from './context.js';
import { sendError } from './errors.js';
import { USERS, type ZohoUser } from './state.js';

/**
 * What every CRM API call passes before its handler, in Zoho's order: the
 * `Zoho-oauthtoken` header, a live token of this data centre, the OAuth scope,
 * then the org's credit budget and concurrency cap.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the fake Zoho's API routes only. */
    zoho?: ZohoRouteConfig;
  }
  interface FastifyRequest {
    zohoUser?: ZohoUser;
    zohoInFlight?: boolean;
  }
}

export function installGuard(app: FastifyInstance, deps: ZohoDeps, dc: string): void {
  app.addHook('preHandler', async (req, reply) => {
    const config = req.routeOptions.config.zoho;
    if (!config) return;
    const header = req.headers.authorization ?? '';
    const match = /^Zoho-oauthtoken\s+(\S+)$/i.exec(header);
    if (!match) return sendError(reply, 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
    const check = deps.oauth.checkAccess(match[1]);
    if (!check.ok || check.token.extra.dc !== dc) return sendError(reply, 401, 'INVALID_TOKEN', 'invalid oauth token');
    if (!scopeAllows(check.token, config.scope, moduleOf(req)))
      return sendError(reply, 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL');
    const settings = deps.ctx.settings();
    const cost = config.credits ? config.credits(req.body) : 1;
    if (!deps.limits.spend(cost, settings.rateLimitFactor).allowed)
      return sendError(reply, 429, 'TOO_MANY_REQUESTS', 'API credits exhausted for the day. Please try again after some time.');
    if (!deps.limits.enter(settings.rateLimitFactor))
      return sendError(reply, 429, 'TOO_MANY_REQUESTS', 'concurrency limit exceeded. Please try again after some time.');
    req.zohoInFlight = true;
    req.zohoUser = USERS.find((u) => u.id === check.token.userId) ?? USERS[0];
  });
  app.addHook('onResponse', async (req) => {
    if (req.zohoInFlight) deps.limits.leave();
  });
}

function moduleOf(req: FastifyRequest): string | undefined {
  return (req.params as { module?: string } | undefined)?.module;
}

/** Zoho's scopes: `ZohoCRM.<family>.<ALL|op>`, and for records also `ZohoCRM.modules.<module>.<ALL|op>`. */
export function scopeAllows(token: IssuedToken, need: ZohoRouteConfig['scope'], module?: string): boolean {
  const granted = new Set(token.scope.split(/[,\s]+/).filter(Boolean).map((s) => s.toLowerCase()));
  const family = `zohocrm.${need.family}`;
  const op = need.op.toLowerCase();
  if (granted.has(`${family}.all`) || granted.has(`${family}.${op}`)) return true;
  if (need.family === 'modules' && module) {
    const m = `${family}.${module.toLowerCase()}`;
    return granted.has(`${m}.all`) || granted.has(`${m}.${op}`);
  }
  return false;
}

export function currentUser(req: FastifyRequest): ZohoUser {
  return req.zohoUser ?? USERS[0]!;
}

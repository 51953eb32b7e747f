import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCrmContext } from '../kit/crm.js';
import type { OAuthServer } from '../kit/oauth.js';
import type { WebhookHub } from '../kit/webhooks.js';
import { requestOrigin } from '../kit/origin.js';
import { executeBatch } from './api/batch.js';
import type { ApiContext, ApiResponse } from './api/context.js';
import { dispatch, errorResponse } from './api/dispatch.js';
import { registerAzureAd } from './auth/azure-ad.js';
import { registerDiscovery } from './discovery.js';
import { sameResource, type RefreshLedger } from './auth/tokens.js';
import { CODES, DataverseError, codeForStatus, segmentNotFound } from './errors.js';
import { TENANT_ID } from './facts.js';
import { formatMs, type ServiceProtection } from './limits.js';
import { organizationHost } from './seed.js';
import type { RecordStore } from './store.js';
import { REGISTRATION_TABLES, deliverEvents, syncSubscriptions } from './webhooks.js';
import { answerTrailingSlash } from '../kit/trailing-slash.js';

export interface DynamicsDeps {
  store: RecordStore;
  oauth: OAuthServer;
  ledger: RefreshLedger;
  protection: ServiceProtection;
  hub: WebhookHub;
  ctx: SandboxCrmContext;
}

/** The instance URL of the fake environment (what `https://<org>.crm.dynamics.com` is for the real one). */
export const instanceUrl = (req: FastifyRequest) => `${requestOrigin(req)}/sandbox/dynamics`;

/** The Dataverse Web API under `/api/data/v9.x/`, the Global Discovery Service under `/api/discovery/v2.0/`, and the Azure AD tenant under `/login/<tenant>/`. */
export function dynamicsRoutes(deps: DynamicsDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    answerTrailingSlash(app);
    // Bodies are read as text so bad JSON gets Dataverse's payload error, and $batch its multipart parser.
    app.removeContentTypeParser(['application/json']);
    app.addContentTypeParser(['application/json', 'multipart/mixed', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      reply.code(status).header('content-type', 'application/json; odata.metadata=minimal').send(JSON.stringify({ error: { code: codeForStatus(status), message: err.message } }));
    });

    await registerAzureAd(app, {
      oauth: deps.oauth,
      ledger: deps.ledger,
      instanceUrl,
      loginBase: (req) => `${instanceUrl(req)}/login`,
    });

    registerDiscovery(app, { oauth: deps.oauth, instanceUrl });

    const handler = (req: FastifyRequest, reply: FastifyReply) => serveApi(req, reply, deps);
    const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
    app.route({ method: [...methods], url: '/api/data/:version', handler });
    app.route({ method: [...methods], url: '/api/data/:version/*', handler });
  };
}

function serveApi(req: FastifyRequest, reply: FastifyReply, deps: DynamicsDeps) {
  const instance = instanceUrl(req);
  const version = (req.params as { version: string }).version;
  if (!/^v9\.[0-2]$/.test(version)) return write(reply, errorResponse(segmentNotFound(version)));

  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const access = deps.oauth.checkAccess(bearer);
  const challenge = `authorization_uri=${instance}/login/${TENANT_ID}/oauth2/authorize, resource_id=${instance}/`;
  if (!access.ok) {
    const prefix = access.reason === 'missing' ? 'Bearer' : 'Bearer error=invalid_token, error_description=Error during token validation!,';
    return reply.code(401).header('www-authenticate', `${prefix} ${challenge}`).send();
  }
  const resource = access.token.extra.resource;
  if (resource && !sameResource(resource, instance)) {
    return reply.code(401).header('www-authenticate', `Bearer error=invalid_token, error_description=Error during token validation!, ${challenge}`).send();
  }

  const userId = access.token.userId;
  const { verdict, call } = deps.protection.take(userId, deps.ctx.settings().rateLimitFactor);
  if (Number.isFinite(verdict.limit)) {
    reply.header('x-ms-ratelimit-burst-remaining-xrm-requests', String(verdict.remaining));
    reply.header('x-ms-ratelimit-time-remaining-xrm-requests', formatMs(verdict.executionRemainingMs));
  }
  if (!verdict.allowed) {
    reply.header('retry-after', String(verdict.retryAfterSeconds));
    return write(reply, errorResponse(new DataverseError(429, CODES.requestLimit,
      `Number of requests exceeded the limit of ${verdict.limit} over time window of 300 seconds.`)));
  }

  const started = performance.now();
  const raw = req.url;
  const marker = `/api/data/${version}`;
  const after = raw.slice(raw.indexOf(marker) + marker.length).replace(/^\//, '');
  const q = after.indexOf('?');
  const rawPath = q < 0 ? after : after.slice(0, q);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // a malformed escape stays as sent and fails as an unknown segment
  }
  const ctx: ApiContext = { store: deps.store, apiBase: `${instance}/api/data/${version}`, userId };
  const body = typeof req.body === 'string' ? req.body : '';
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  const prefer = headers.prefer;
  let response: ApiResponse;
  try {
    response = path === '$batch' && req.method === 'POST'
      ? executeBatch(ctx, headers['content-type'], body, prefer)
      : dispatch(ctx, { method: req.method, path, query: new URLSearchParams(q < 0 ? '' : after.slice(q + 1)), headers, body });
  } catch (e) {
    if (!(e instanceof DataverseError)) throw e;
    response = errorResponse(e);
  }
  if (call) call.ms = performance.now() - started;

  const events = deps.store.drainEvents();
  if (events.some((e) => REGISTRATION_TABLES.has(e.entity))) syncSubscriptions(deps.store, deps.hub, organizationHost(instance));
  deliverEvents(events, deps.hub);
  return write(reply, response);
}

function write(reply: FastifyReply, response: ApiResponse) {
  reply.code(response.status).header('odata-version', '4.0').header('req_id', randomUUID());
  for (const [k, v] of Object.entries(response.headers)) reply.header(k, v);
  if (response.body === undefined) return reply.send();
  return reply.send(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '../kit/origin.js';
import { dispatch, type ApiRoute } from './api.js';
import type { SalesforceAuth } from './auth.js';
import { SalesforceError, notFound, restError } from './errors.js';
import { limitHeader, requestLimitExceeded } from './limits.js';
import { API_VERSIONS, type Org } from './org.js';
import { collectionRoutes } from './routes/collections.js';
import { compositeRoutes } from './routes/composite.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { queryRoutes } from './routes/query.js';
import { resourceRoutes, versionList } from './routes/resources.js';
import { sobjectRoutes } from './routes/sobjects.js';

const DATA_ROUTES: ApiRoute[] = [...resourceRoutes, ...sobjectRoutes, ...collectionRoutes, ...queryRoutes];
export const ALL_ROUTES: ApiRoute[] = [...DATA_ROUTES, ...compositeRoutes(() => ALL_ROUTES)];

/** Salesforce's error code for a bare HTTP status (injected faults, unknown paths, framework errors). */
export function failureBody(status: number, message: string) {
  const code = status === 404 ? 'NOT_FOUND' : status === 503 ? 'SERVER_UNAVAILABLE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status < 500 ? 'INVALID_REQUEST' : 'UNKNOWN_EXCEPTION';
  return [{ message: status === 404 ? 'The requested resource does not exist' : message, errorCode: code }];
}

/**
 * The Fastify side: OAuth on the login URL, the version list, and every
 * `/services/data/vXX.X/...` request authenticated, counted against the daily
 * allocation (Sforce-Limit-Info on every response) and dispatched.
 */
export function registerSalesforceHttp(app: FastifyInstance, org: Org, auth: SalesforceAuth): void {
  // Bodies stay raw so a malformed one is answered with JSON_PARSER_ERROR, as Salesforce does.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof SalesforceError) return reply.code(err.status).send(err.errors);
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    return reply.code(status).send(failureBody(status, err.message));
  });

  const instanceUrl = (req: FastifyRequest) => `${requestOrigin(req)}${app.prefix}`;
  registerOAuthRoutes(app, org, auth, instanceUrl);

  app.get('/services/data', async () => versionList());
  app.get('/services/data/', async () => versionList());

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = req.params as { version: string; '*'?: string };
    const version = /^v(\d+\.0)$/.exec(params.version)?.[1];
    if (!version || !API_VERSIONS.includes(version)) throw notFound();
    const userId = auth.userFor(req.headers.authorization);
    const usage = org.usage.take(org.ctx.settings().rateLimitFactor);
    reply.header('sforce-limit-info', limitHeader(usage));
    if (!usage.allowed) throw requestLimitExceeded();
    let segments: string[];
    try {
      segments = (params['*'] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw restError(400, 'INVALID_REQUEST', 'The request URL is not valid');
    }
    const response = dispatch(ALL_ROUTES, {
      method: req.method,
      segments,
      query: new URLSearchParams(req.url.split('?')[1] ?? ''),
      rawBody: typeof req.body === 'string' ? req.body : undefined,
      headers: req.headers as Record<string, string | undefined>,
      userId,
      version,
      instanceUrl: instanceUrl(req),
      org,
    });
    reply.code(response.status);
    for (const [k, v] of Object.entries(response.headers ?? {})) reply.header(k, v);
    return response.body === undefined ? reply.send() : reply.send(response.body);
  };
  app.all('/services/data/:version', handle);
  app.all('/services/data/:version/*', handle);
}

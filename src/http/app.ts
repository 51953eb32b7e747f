import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Vault } from '../auth/vault.js';
import { HTTP_LIMIT_DEFAULTS, type Config, type HttpLimits } from '../config/index.js';
import { oauthAppFor } from '../connections/oauth-apps.js';
import { OAuthFlow } from '../connections/oauth-flow.js';
import { Connections } from '../connections/service.js';
import { isSandboxRequest } from '../connections/sandbox-origins.js';
import { createCrmHttp, guardHttp, type CrmHttp } from '../connectors/http/client.js';
import type { Resolve } from '../net/addresses.js';
import { mountSandbox, type Sandbox } from '../sandbox/mount.js';
import type { Store } from '../store/store.js';
import { installBodyBudget } from './body-budget.js';
import { answerClientError, guardConnections, refuseWhileClosing, serverTimeouts } from './connection-limits.js';
import { answerFrameworkError, installErrorHandling } from './error-handler.js';
import { installInputGuard } from './input-guard.js';
import { installJsonBodies } from './json-body.js';
import { registerOpenApi, registerOpenApiRoute } from './openapi.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { installSecurityHeaders } from './security-headers.js';
import { auditRoutes } from './routes/audit.js';
import { batchRoutes } from './routes/batch.js';
import { clientRoutes } from './routes/clients.js';
import { companyRoutes } from './routes/companies.js';
import { connectionRoutes } from './routes/connections.js';
import { conversationRoutes } from './routes/conversations.js';
import { crmRoutes } from './routes/crms.js';
import { dealRoutes } from './routes/deals.js';
import { healthRoutes } from './routes/health.js';
import { ownOrigins } from './own-origins.js';
import { oauthRoutes } from './routes/oauth.js';
import { progressRoutes } from './routes/progress.js';
import { sessionRoutes } from './routes/session.js';
import { syncRoutes } from './routes/sync.js';
import { registerUi } from './ui.js';
import { SyncWorker } from '../engine/worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The connection service, for the engine and tests running in the same process. */
    connections: Connections;
    /** The sync worker (started by the server; tests may drive it with runOnce). */
    syncWorker: SyncWorker;
  }
}

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

export interface AppDeps {
  store: Store;
  vault: Vault;
  /** `http` (timeouts and caps) falls back to the defaults of src/config. */
  config: Pick<Config, 'publicUrl' | 'sandboxEnabled' | 'oauthApps'> & Partial<Pick<Config, 'sandboxUrls'>> & { http?: Partial<HttpLimits> };
  /** How connectors reach the CRMs (default: fetch with a timeout). */
  http?: CrmHttp;
  /** How CRM host names resolve before each request is checked (default: the system's DNS). */
  resolve?: Resolve;
  logger?: Logger;
  /** The fake CRMs, mounted under /sandbox when given. */
  sandbox?: Sandbox;
}

/** Builds the whole HTTP app without listening, so tests drive it with `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits: HttpLimits = { ...HTTP_LIMIT_DEFAULTS, ...deps.config.http };
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Platform ids may be long; Fastify's default of 100 characters per parameter is too short.
    routerOptions: { maxParamLength: 500 },
    ...serverTimeouts(limits),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    return503OnClosing: false,
  }) as unknown as FastifyInstance;
  guardConnections(app, limits);
  refuseWhileClosing(app);
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app, deps.config.publicUrl);
  installErrorHandling(app);
  installSecurityHeaders(app);

  // Connections may point only at the sandbox mounted here and those the operator named.
  const sandboxOrigins = () => [...(deps.config.sandboxEnabled ? ownOrigins(app.server, deps.config.publicUrl) : []), ...(deps.config.sandboxUrls ?? [])];
  const destinations = { isSandbox: (u: URL) => isSandboxRequest(u, sandboxOrigins()), resolve: deps.resolve };
  const http = deps.http ? guardHttp(deps.http, destinations) : createCrmHttp({ destinations });
  const connectionDeps = {
    store: deps.store,
    vault: deps.vault,
    http,
    sandboxOrigins,
    oauthApp: (crm: Parameters<typeof oauthAppFor>[0], target: { baseUrl?: string }) => oauthAppFor(crm, deps.config.oauthApps, target.baseUrl, sandboxOrigins()),
  };
  const connections = new Connections(connectionDeps);
  const flow = new OAuthFlow({ ...connectionDeps, publicUrl: deps.config.publicUrl }, connections);
  app.decorate('connections', connections);
  const worker = new SyncWorker({ store: deps.store, tokens: connections.tokens, http, logger: deps.logger });
  app.decorate('syncWorker', worker);
  // A change is synced at once (PRODUCT.md Y1): the worker wakes as soon as a transaction that
  // enqueued outbox rows commits, whichever route (or anything else) wrote it.
  const stopWaking = deps.store.onOutboxCommit(() => worker.wake());
  app.addHook('onClose', async () => stopWaking());

  await app.register(async (api) => {
    // Only JSON bodies: anything else is a 415, not a string that fails validation.
    api.removeContentTypeParser('text/plain');
    installJsonBodies(api);
    installBodyBudget(api, limits.maxInflightBodyMiB * 1024 * 1024);
    installInputGuard(api);
    await api.register(healthRoutes, { store: deps.store });
    await api.register(clientRoutes, { store: deps.store });
    await api.register(companyRoutes, { store: deps.store });
    await api.register(conversationRoutes, { store: deps.store });
    await api.register(dealRoutes, { store: deps.store });
    await api.register(batchRoutes, { store: deps.store });
    await api.register(sessionRoutes, { store: deps.store, secureCookies: deps.config.publicUrl.startsWith('https:') });
    await api.register(crmRoutes);
    await api.register(apiKeyRoutes, { store: deps.store });
    await api.register(auditRoutes, { store: deps.store });
    await api.register(connectionRoutes, { store: deps.store, connections, http });
    await api.register(oauthRoutes, { store: deps.store, flow });
    await api.register(syncRoutes, { store: deps.store, worker, connections, http });
    await api.register(progressRoutes, { store: deps.store, worker });
    await api.register((await import('./routes/destinations.js')).destinationRoutes, { store: deps.store, connections, http });
  });
  registerOpenApiRoute(app);
  if (deps.sandbox) await mountSandbox(app, deps.sandbox);
  await registerUi(app);
  return app;
}

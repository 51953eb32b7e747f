import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { mountSandbox } from '../sandbox/mount.js';
import type { Sandbox } from '../sandbox/runtime.js';
import type { Store } from '../store/store.js';
import { installErrorHandling } from './error-handler.js';
import { installNulGuard } from './nul-guard.js';
import { registerOpenApi, registerOpenApiRoute } from './openapi.js';
import { batchRoutes } from './routes/batch.js';
import { clientRoutes } from './routes/clients.js';
import { companyRoutes } from './routes/companies.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'publicUrl'>;
  logger?: Logger;
  /** The fake CRMs, mounted under /sandbox when given. */
  sandbox?: Sandbox;
}

/** Builds the whole HTTP app without listening, so tests drive it with `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Platform ids may be long; Fastify's default of 100 characters per parameter is too short.
    routerOptions: { maxParamLength: 500 },
  }) as unknown as FastifyInstance;
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app, deps.config.publicUrl);
  installErrorHandling(app);

  await app.register(async (api) => {
    // Only JSON bodies: anything else is a 415, not a string that fails validation.
    api.removeContentTypeParser('text/plain');
    installNulGuard(api);
    await api.register(healthRoutes, { store: deps.store });
    await api.register(clientRoutes, { store: deps.store });
    await api.register(companyRoutes, { store: deps.store });
    await api.register(conversationRoutes, { store: deps.store });
    await api.register(batchRoutes, { store: deps.store });
  });
  registerOpenApiRoute(app);
  if (deps.sandbox) await mountSandbox(app, deps.sandbox);
  return app;
}

import Fastify, { type FastifyInstance } from 'fastify';
import { CRM_IDS } from '../domain/crm.js';
import { registerControlRoutes } from './control.js';
import { installFaults } from './kit/faults.js';
import { Sandbox } from './runtime.js';
import { registerRecordViews } from './view.js';

// The one module of the sandbox the rest of src/ imports (.dependency-cruiser.cjs): the fakes
// can change behind it, and nothing of the product leaks into them.
export { Sandbox };

/**
 * Serves the seven fake CRMs under `/sandbox/<crm>/<vendor path>`, the control API
 * under `/sandbox/__control` and the record views under `/sandbox/`.
 */
export async function mountSandbox(app: FastifyInstance, sandbox: Sandbox): Promise<void> {
  for (const id of CRM_IDS) {
    const crm = sandbox.crm(id);
    await app.register(
      async (scope) => {
        // OAuth token endpoints and consent forms post form bodies.
        scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(body as string)));
        });
        installFaults(scope, crm, { settings: () => sandbox.settings(id), random: () => sandbox.slot(id).random() }, () => sandbox.counts(id));
        scope.setNotFoundHandler((req, reply) => {
          reply.code(404).send(crm.failure(404, `No such resource: ${req.method} ${req.url}`));
        });
        scope.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
          const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
          reply.code(status).send(crm.failure(status, err.message));
        });
        await scope.register(crm.routes);
      },
      { prefix: `/sandbox/${id}` },
    );
  }
  await registerControlRoutes(app, sandbox);
  await registerRecordViews(app, sandbox);
}

/** Builds a server that serves only the sandbox (`crm-sync sandbox --port N`, and tests). */
export async function buildSandboxServer(options: { logger?: boolean } = {}) {
  const sandbox = new Sandbox();
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  await mountSandbox(app, sandbox);
  return { app, sandbox };
}

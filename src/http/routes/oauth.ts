import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OAuthFlow } from '../../connections/oauth-flow.js';
import { CRM_IDS } from '../../domain/crm.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const StartQuery = z
  .object({
    baseUrl: z.string().max(500).optional(),
    region: z.string().max(20).optional(),
    tenantId: z.string().max(100).optional(),
    instanceUrl: z.string().max(500).optional(),
    /** A path of this server to come back to (the UI); default `/`. */
    returnTo: z.string().max(500).optional(),
    /** `json` answers `{authorizeUrl}` instead of redirecting (for scripts). */
    format: z.enum(['redirect', 'json']).default('redirect'),
  })
  .strict();

export async function oauthRoutes(app: FastifyInstance, { store, flow }: { store: Store; flow: OAuthFlow }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/oauth/:crm/start',
    {
      onRequest: requireAdmin(store, { write: true }),
      schema: {
        tags: ['admin'],
        summary: 'Start connecting a CRM with OAuth: redirects to its consent page',
        params: z.object({ crm: z.enum(CRM_IDS) }),
        querystring: StartQuery,
        response: { 200: z.object({ authorizeUrl: z.string() }), 302: z.null(), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 409: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { format, returnTo, ...target } = req.query;
      const authorizeUrl = await flow.start(p.workspaceId, p.actor, req.params.crm, target, returnTo);
      if (format === 'json') return { authorizeUrl };
      return reply.redirect(authorizeUrl, 302);
    },
  );

  r.get(
    '/v1/oauth/callback',
    {
      schema: {
        tags: ['admin'],
        summary: 'Where the CRM sends the browser back; finishes connecting and returns to the UI',
        security: [],
        querystring: z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }).passthrough(),
        response: { 302: z.null(), 400: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const outcome = await flow.finish(req.query);
      const to = new URL(outcome.returnTo, 'http://local');
      if (outcome.crm) to.searchParams.set('crm', outcome.crm);
      if (outcome.connection) {
        to.searchParams.set('status', 'connected');
        to.searchParams.set('connection', outcome.connection.id);
      } else {
        to.searchParams.set('status', 'error');
        to.searchParams.set('message', outcome.error ?? 'unknown error');
      }
      return reply.redirect(`${to.pathname}${to.search}`, 302);
    },
  );
}

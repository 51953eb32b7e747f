import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OAuthFlow } from '../../connections/oauth-flow.js';
import { CRM_IDS } from '../../domain/crm.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { findSessionUser } from '../../store/sessions.js';
import { hashToken, readCookie, requireAdmin, SESSION_COOKIE } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const StartBody = z
  .object({
    baseUrl: z.string().max(500).optional(),
    region: z.string().max(20).optional(),
    tenantId: z.string().max(100).optional(),
    instanceUrl: z.string().max(500).optional(),
    /** A path of this server to come back to (the UI), starting with a single `/`; default `/`. */
    returnTo: z.string().max(500).optional(),
  })
  .strict();

export async function oauthRoutes(app: FastifyInstance, { store, flow }: { store: Store; flow: OAuthFlow }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // A POST, so that a page on another site cannot start one in a signed-in admin's browser: a
  // session must send its X-CSRF-Token (requireAdmin checks it). The UI navigates to the URL.
  r.post(
    '/v1/oauth/:crm/start',
    {
      onRequest: requireAdmin(store, { write: true }),
      schema: {
        tags: ['admin'],
        summary: "Start connecting a CRM with OAuth: answers the CRM's consent page URL, for the browser to open",
        description:
          'From the UI (a session and its X-CSRF-Token), only the same browser session can finish the authorization. With an API key, the URL must be opened in a browser signed in to crm-sync as an owner or Settings Admin of the workspace.',
        params: z.object({ crm: z.enum(CRM_IDS) }),
        body: StartBody,
        response: { 200: z.object({ authorizeUrl: z.string() }), 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 409: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { returnTo, ...target } = req.body;
      // An API key wins over a cookie in requireAdmin; only a session start is bound to one.
      const token = req.headers.authorization ? undefined : readCookie(req, SESSION_COOKIE);
      const starter = { workspaceId: p.workspaceId, actor: p.actor, sessionHash: token ? hashToken(token) : null };
      return { authorizeUrl: await flow.start(starter, req.params.crm, target, returnTo) };
    },
  );

  r.get(
    '/v1/oauth/callback',
    {
      schema: {
        tags: ['admin'],
        summary: 'Where the CRM sends the browser back; finishes connecting and returns to the UI',
        description: 'Only in the browser the authorization belongs to (see the start); otherwise 403 and nothing is connected.',
        security: [],
        querystring: z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }).passthrough(),
        response: { 302: z.null(), 400: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const token = readCookie(req, SESSION_COOKIE);
      const session = token ? await findSessionUser(store.db, hashToken(token), Date.now()) : undefined;
      const browser = session ? { sessionHash: session.token_hash, workspaceId: session.workspace_id, role: session.user.role } : undefined;
      const outcome = await flow.finish(req.query, browser);
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

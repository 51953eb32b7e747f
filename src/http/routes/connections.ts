import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Connections } from '../../connections/service.js';
import type { CrmHttp } from '../../connectors/http/client.js';
import { ConnectionView } from '../../connections/view.js';
import { ConnectionSettingsPatch } from '../../domain/connection-settings.js';
import { CRM_IDS } from '../../domain/crm.js';
import { findConnection } from '../../store/connections.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { assertDestinationOffered } from './destinations.js';
import { ErrorBodySchema } from '../views.js';

const Target = {
  baseUrl: z.string().max(500).optional().describe('Only the local sandbox, e.g. http://127.0.0.1:3000/sandbox/hubspot'),
  region: z.string().max(20).optional().describe('Zoho data centre: us, eu, in, au, jp, ca, cn, sa'),
  tenantId: z.string().max(100).optional().describe('Azure AD tenant id (Dynamics 365)'),
  instanceUrl: z.string().max(500).optional().describe('Salesforce or Dynamics instance URL, Odoo or AutoChat server URL'),
  api: z.enum(['auto', 'json2', 'jsonrpc']).optional().describe('Odoo: the external API, auto (default: detected), json2 (19 and later) or jsonrpc (before 19)'),
};

const CreateBody = z
  .object({
    crm: z.enum(CRM_IDS),
    auth: z.discriminatedUnion('method', [
      z
        .object({
          method: z.literal('api_key'),
          apiKey: z.string().min(1).max(2000),
          /** Odoo: */
          url: z.string().max(500).optional(),
          database: z.string().max(200).optional(),
          username: z.string().max(320).optional(),
        })
        .strict(),
      z
        .object({
          method: z.literal('service'),
          clientId: z.string().min(1).max(500),
          clientSecret: z.string().min(1).max(2000),
          instanceUrl: z.string().max(500).optional(),
          tenantId: z.string().max(100).optional(),
        })
        .strict(),
    ]),
    ...Target,
  })
  .strict();

const Params = z.object({ id: z.string().min(1).max(100) });
const Errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 502: ErrorBodySchema };

export async function connectionRoutes(app: FastifyInstance, { store, connections, http }: { store: Store; connections: Connections; http: CrmHttp }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = requireAdmin(store, { write: false });
  const write = requireAdmin(store, { write: true });

  r.post(
    '/v1/connections',
    {
      onRequest: write,
      schema: {
        tags: ['admin'],
        summary: 'Connect a CRM with an API key or service credentials (OAuth: POST /v1/oauth/{crm}/start)',
        description: 'The credentials are checked against the CRM first; nothing is stored if it refuses them. They are encrypted at rest and never returned.',
        body: CreateBody,
        response: { 201: ConnectionView, ...Errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { crm, auth, baseUrl, region, tenantId, instanceUrl, api } = req.body;
      const { method, ...fields } = auth;
      const target = {
        baseUrl,
        region,
        tenantId: tenantId ?? ('tenantId' in fields ? fields.tenantId : undefined),
        instanceUrl: instanceUrl ?? ('instanceUrl' in fields ? fields.instanceUrl : undefined) ?? ('url' in fields ? fields.url : undefined),
        api,
      };
      const view = await connections.create(p.workspaceId, p.actor, { crm, method, fields: fields as Record<string, string | undefined>, target: dropUndefined(target) });
      return reply.code(201).send(view);
    },
  );

  r.get('/v1/connections', { onRequest: read, schema: { tags: ['admin'], summary: 'This workspace’s connections', response: { 200: z.array(ConnectionView), 401: ErrorBodySchema } } }, async (req) =>
    connections.list(principalOf(req).workspaceId),
  );

  r.get('/v1/connections/:id', { onRequest: read, schema: { tags: ['admin'], summary: 'One connection', params: Params, response: { 200: ConnectionView, ...Errors } } }, async (req) =>
    connections.get(principalOf(req).workspaceId, req.params.id),
  );

  r.patch(
    '/v1/connections/:id',
    {
      onRequest: write,
      schema: { tags: ['admin'], summary: 'Change what a connection syncs', description: 'A destination module must be one GET /v1/connections/{id}/destinations offers; `null` clears a destination choice.', params: Params, body: z.object({ settings: ConnectionSettingsPatch }).strict(), response: { 200: ConnectionView, ...Errors } },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (row) await assertDestinationOffered({ store, connections, http }, row, req.body.settings, req.log);
      return connections.configure(p.workspaceId, p.actor, req.params.id, req.body.settings);
    },
  );

  r.post(
    '/v1/connections/:id/test',
    { onRequest: write, schema: { tags: ['admin'], summary: 'Test Connection: a cheap authenticated call; updates and returns the status', params: Params, response: { 200: ConnectionView, ...Errors } } },
    async (req) => {
      const p = principalOf(req);
      return connections.test(p.workspaceId, p.actor, req.params.id);
    },
  );

  r.delete(
    '/v1/connections/:id',
    { onRequest: write, schema: { tags: ['admin'], summary: 'Disconnect: stop syncing and destroy the credentials (nothing in the CRM is deleted)', params: Params, response: { 200: ConnectionView, ...Errors } } },
    async (req) => {
      const p = principalOf(req);
      return connections.disconnect(p.workspaceId, p.actor, req.params.id);
    },
  );
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

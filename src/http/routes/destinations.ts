import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Connections } from '../../connections/service.js';
import type { CrmHttp } from '../../connectors/http/client.js';
import type { OutboundContext } from '../../connectors/outbound.js';
import { listNewClientTables } from '../../connectors/dynamics/outbound.js';
import { listPhoneModules, type DestinationModule } from '../../connectors/zoho/outbound.js';
import { CRM_NAMES, type CrmId } from '../../domain/crm.js';
import { outboundContext } from '../../engine/context.js';
import { OUTBOUND } from '../../connectors/outbound-registry.js';
import { ConnectionSettings } from '../../domain/connection-settings.js';
import { readJson } from '../../store/store.js';
import { AppError } from '../../errors.js';
import { findConnection } from '../../store/connections.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

/** The CRMs where the admin chooses the module and fields that clients go to (PRODUCT.md S4), or, for Dynamics, what a new client becomes. */
const DESTINATIONS: Partial<Record<CrmId, (ctx: OutboundContext) => Promise<DestinationModule[]>>> = { zoho: listPhoneModules, dynamics: listNewClientTables };

const FieldRef = z.object({ apiName: z.string(), label: z.string() });
const Destinations = z.object({
  modules: z.array(
    z.object({
      apiName: z.string(),
      label: z.string(),
      phoneFields: z.array(FieldRef),
      textFields: z.array(FieldRef),
      picklistFields: z.array(FieldRef.extend({ options: z.array(z.string()) })),
    }),
  ),
});

export async function destinationRoutes(app: FastifyInstance, { store, connections, http }: { store: Store; connections: Connections; http: CrmHttp }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/connections/:id/destinations',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: {
        tags: ['admin'],
        summary: 'Where clients can go: the modules with a phone field and the fields to choose from (Zoho CRM); lead or contact for new clients (Dynamics 365)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: Destinations, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 502: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      const list = DESTINATIONS[row.crm as CrmId];
      if (!list) throw new AppError('not_found', `${CRM_NAMES[row.crm as CrmId] ?? row.crm} has no destination choice: crm-sync writes clients to its standard objects.`);
      if (row.status !== 'connected') throw new AppError('conflict', `The connection is ${row.status.replace('_', ' ')}; reconnect it first.`);
      return { modules: await list(outboundContext(store, connections.tokens, http, row)) };
    },
  );

  r.get(
    '/v1/connections/:id/properties',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: {
        tags: ['admin'],
        summary: "The CRM's own contact properties (types, picklist options), to map fields to",
        params: z.object({ id: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            properties: z.array(
              z.object({
                name: z.string(),
                label: z.string(),
                type: z.enum(['string', 'number', 'boolean', 'date', 'datetime', 'picklist', 'other']),
                options: z.array(z.string()).optional(),
                readOnly: z.boolean(),
              }),
            ),
          }),
          401: ErrorBodySchema,
          403: ErrorBodySchema,
          404: ErrorBodySchema,
          409: ErrorBodySchema,
          502: ErrorBodySchema,
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      const connector = OUTBOUND[row.crm as CrmId];
      if (!connector) throw new AppError('not_found', `Syncing to ${CRM_NAMES[row.crm as CrmId] ?? row.crm} is not available.`);
      if (row.status !== 'connected') throw new AppError('conflict', `The connection is ${row.status.replace('_', ' ')}; reconnect it first.`);
      const ctx = outboundContext(store, connections.tokens, http, row);
      ctx.destination = ConnectionSettings.parse(readJson(row.settings)).destination;
      return { properties: await connector.describeContactProperties(ctx) };
    },
  );
}

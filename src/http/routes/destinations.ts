import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Connections } from '../../connections/service.js';
import type { CrmHttp } from '../../connectors/http/client.js';
import { DESTINATIONS } from '../../connectors/destination-registry.js';
import type { DestinationModule } from '../../connectors/destinations.js';
import { CrmError } from '../../connectors/errors.js';
import { CRM_NAMES, type CrmId } from '../../domain/crm.js';
import { outboundContext } from '../../engine/context.js';
import { OUTBOUND } from '../../connectors/outbound-registry.js';
import { ConnectionSettings, type ConnectionSettingsPatch } from '../../domain/connection-settings.js';
import { readJson } from '../../store/store.js';
import { AppError } from '../../errors.js';
import { findConnection } from '../../store/connections.js';
import type { ConnectionTable } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const noChoice = (crm: string) => `${CRM_NAMES[crm as CrmId] ?? crm} has no destination choice: crm-sync writes clients to its standard objects.`;

const FieldRef = z.object({ apiName: z.string(), label: z.string() });
const Destinations = z.object({
  label: z.string().describe('What the choice of module asks, e.g. "Module" (Zoho CRM) or "New clients become" (Dynamics 365)'),
  help: z.string(),
  defaultModule: z.string().describe('The module used while none is chosen'),
  fieldChoices: z.boolean().describe('Whether each module also offers its phone, name, chat-link and lead-source fields to choose'),
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

interface Deps {
  store: Store;
  connections: Connections;
  http: CrmHttp;
}

/**
 * Checks a settings PATCH's `destination.module` against what the connection's CRM offers (the
 * modules GET /v1/connections/{id}/destinations lists), so a wrong one is refused when saved
 * rather than at activation or sync. Clearing it (`null`) and keeping the saved one need no check.
 */
export async function assertDestinationOffered(deps: Deps, row: ConnectionTable, patch: ConnectionSettingsPatch, log: FastifyBaseLogger): Promise<void> {
  const module = patch.destination?.module;
  if (module === undefined || module === null) return;
  const current = ConnectionSettings.parse(readJson(row.settings));
  // Locked settings are refused as such by the save itself.
  if (current.active || module === current.destination.module) return;
  const choice = DESTINATIONS[row.crm as CrmId];
  const path = 'settings.destination.module';
  if (!choice) throw new AppError('validation_failed', noChoice(row.crm), [{ path, message: noChoice(row.crm) }]);
  let modules: DestinationModule[];
  try {
    // Zoho's modules come from its metadata. When the CRM cannot be asked (down, rate-limited,
    // the connection needing a reconnect), the module is accepted unchecked: activation and the
    // sync still refuse one that does not exist, with the CRM's words.
    if (choice.readsCrm && row.status !== 'connected') return;
    modules = await choice.list(outboundContext(deps.store, deps.connections.tokens, deps.http, row));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    log.warn({ connectionId: row.id, kind: err.kind }, `destination module ${JSON.stringify(module)} saved unchecked: ${err.message}`);
    return;
  }
  if (modules.some((m) => m.apiName === module)) return;
  const crm = CRM_NAMES[row.crm as CrmId] ?? row.crm;
  const message = `${crm} offers no destination module ${JSON.stringify(module)}: choose one of ${modules.map((m) => JSON.stringify(m.apiName)).join(', ')}.`;
  throw new AppError('validation_failed', message, [{ path, message }]);
}

export async function destinationRoutes(app: FastifyInstance, { store, connections, http }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/connections/:id/destinations',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: {
        tags: ['admin'],
        summary: 'Where clients can go: the modules with a phone field and the fields to choose from (Zoho CRM); lead or contact for new clients (Dynamics 365). PATCH /v1/connections/{id} accepts only these modules',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: Destinations, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 502: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      const choice = DESTINATIONS[row.crm as CrmId];
      if (!choice) throw new AppError('not_found', noChoice(row.crm));
      if (choice.readsCrm && row.status !== 'connected') throw new AppError('conflict', `The connection is ${row.status.replace('_', ' ')}; reconnect it first.`);
      const { label, help, defaultModule, fieldChoices } = choice;
      return { label, help, defaultModule, fieldChoices, modules: await choice.list(outboundContext(store, connections.tokens, http, row)) };
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

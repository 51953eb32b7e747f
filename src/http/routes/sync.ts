import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LogPageQuery, logPageWindow } from '../../domain/schema-parts.js';
import { ConnectionSettings } from '../../domain/connection-settings.js';
import { activate } from '../../engine/activation.js';
import { fanOut } from '../../engine/fanout.js';
import type { Connections } from '../../connections/service.js';
import { ConnectionView } from '../../connections/view.js';
import type { AccessTokens } from '../../connections/tokens.js';
import type { CrmHttp } from '../../connectors/http/client.js';
import type { SyncWorker } from '../../engine/worker.js';
import { AppError } from '../../errors.js';
import { findConnection } from '../../store/connections.js';
import { readJson, type Store } from '../../store/store.js';
import { countPendingItems, makeAllDue } from '../../store/sync-items.js';
import { listSyncLogs } from '../../store/sync-logs.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const STATUSES = ['pending', 'success', 'failed', 'skipped'] as const;

const SyncLogEntry = z.object({
  id: z.number(),
  time: z.string(),
  connectionId: z.string().nullable(),
  crm: z.string().nullable(),
  direction: z.enum(['outbound', 'inbound']),
  operation: z.string(),
  clientId: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  status: z.enum(STATUSES),
  crmRecordId: z.string().nullable(),
  attempts: z.number(),
  /** The CRM's message, or why it was skipped. */
  message: z.string().nullable(),
  /** What a person can do about it. */
  action: z.string().nullable(),
});

const LogQuery = z
  .object({
    connectionId: z.string().max(100).optional(),
    clientId: z.string().max(200).optional(),
    status: z.enum(STATUSES).optional(),
    operation: z.string().max(50).optional(),
    ...LogPageQuery,
  })
  .strict();

export async function syncRoutes(
  app: FastifyInstance,
  { store, worker, connections, http }: { store: Store; worker: SyncWorker; connections: Connections; http: CrmHttp },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tokens: AccessTokens = connections.tokens;
  const Params = z.object({ id: z.string().min(1).max(100) });
  const Errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema };

  r.post(
    '/v1/connections/:id/activate',
    {
      onRequest: requireAdmin(store, { write: true }),
      schema: {
        tags: ['admin'],
        summary: 'Activate: write a test record with these settings, then lock them until deactivated',
        params: Params,
        response: { 200: z.object({ connection: ConnectionView, testRecord: z.object({ object: z.string(), id: z.string(), removed: z.boolean() }) }), ...Errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      if (row.status !== 'connected') throw new AppError('conflict', `The connection is ${row.status.replace('_', ' ')}; reconnect it first.`);
      const test = await activate({ store, tokens, http }, row);
      const connection = await connections.setActive(p.workspaceId, p.actor, row.id, true, { testRecord: test.record });
      return { connection, testRecord: { ...test.record, removed: test.removed } };
    },
  );

  r.post(
    '/v1/connections/:id/deactivate',
    { onRequest: requireAdmin(store, { write: true }), schema: { tags: ['admin'], summary: 'Deactivate, so the settings can be edited', params: Params, response: { 200: ConnectionView, ...Errors } } },
    async (req) => {
      const p = principalOf(req);
      return connections.setActive(p.workspaceId, p.actor, req.params.id, false, {});
    },
  );

  r.post(
    '/v1/connections/:id/sync',
    {
      onRequest: requireAdmin(store, { write: true }),
      schema: {
        tags: ['admin'],
        summary: 'Sync Now: everything pending for this connection is synced at once',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 202: z.object({ pending: z.number() }), 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      if (row.status !== 'connected') throw new AppError('conflict', `The connection is ${row.status.replace('_', ' ')}; reconnect it before syncing.`);
      const now = Date.now();
      await fanOut(store, row, ConnectionSettings.parse(readJson(row.settings)), now);
      await makeAllDue(store.db, row.id, now);
      worker.wake();
      return reply.code(202).send({ pending: await countPendingItems(store.db, row.id) });
    },
  );

  r.get(
    '/v1/sync-logs',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: {
        tags: ['admin'],
        summary: 'Sync logs, newest first, with filters and cursor pagination',
        querystring: LogQuery,
        response: { 200: z.object({ items: z.array(SyncLogEntry), nextCursor: z.string().nullable() }), 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query;
      const rows = await listSyncLogs(store.db, {
        workspaceId: p.workspaceId,
        connectionId: q.connectionId,
        clientId: q.clientId,
        status: q.status,
        operation: q.operation,
        ...logPageWindow(q),
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((l) => ({
          id: l.id,
          time: new Date(l.created_at).toISOString(),
          connectionId: l.connection_id,
          crm: l.crm,
          direction: l.direction,
          operation: l.operation,
          clientId: l.client_id,
          entityType: l.entity_type,
          entityId: l.entity_id,
          status: l.status,
          crmRecordId: l.crm_record_id,
          attempts: l.attempts,
          message: l.message,
          action: l.action,
        })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
      };
    },
  );
}

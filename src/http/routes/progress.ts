import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConnectionProgress, connectionProgress } from '../../connections/progress.js';
import type { SyncWorker } from '../../engine/worker.js';
import { AppError } from '../../errors.js';
import { findConnection } from '../../store/connections.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

/** A connection's sync progress: read like the connection itself, by any signed-in member or an admin key. */
export async function progressRoutes(app: FastifyInstance, { store, worker }: { store: Store; worker: SyncWorker }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/connections/:id/progress',
    {
      onRequest: requireAdmin(store, { write: false }),
      schema: {
        tags: ['admin'],
        summary: 'Sync progress: done, pending and failed items, the current rate and an ETA',
        description:
          'Counts the connection’s sync items: done = synced + skipped; pending = items with a newer version to write, split into due now and waiting (for the update interval, or a retry). The rate is items settled per second over the last minute; etaSeconds = pending / rate.',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: ConnectionProgress, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findConnection(store.db, p.workspaceId, req.params.id);
      if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(req.params.id)} in this workspace`);
      return connectionProgress(store.db, row, worker.pausedUntilOf(row.id));
    },
  );
}

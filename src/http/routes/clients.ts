import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ClientInput, ClientView } from '../../domain/client.js';
import { PlatformId } from '../../domain/schema-parts.js';
import { AppError } from '../../errors.js';
import { applyClients, prepareClients } from '../../ingest/clients.js';
import { findClient } from '../../store/clients.js';
import type { Store } from '../../store/store.js';
import { principalOf, requireApiKey } from '../auth.js';
import { clientView, ErrorBodySchema, stampedView, WriteResultSchema } from '../views.js';
import { INGEST_ERRORS } from './errors.js';

const Params = z.object({ clientId: PlatformId });
const WriteResponse = z.object({ result: WriteResultSchema, client: ClientView });

export async function clientRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireApiKey(store, 'ingest');

  r.put(
    '/v1/clients/:clientId',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Create or replace a client',
        description: 'Idempotent: the same body twice changes nothing and creates no sync work. E-mails are trimmed and lower-cased; phones become E.164 (read with the workspace default country).',
        params: Params,
        body: ClientInput,
        response: { 200: WriteResponse, 201: WriteResponse, ...INGEST_ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const prepared = prepareClients([{ id: req.params.clientId, input: req.body, path: '' }], p.defaultCountry);
      if (!prepared.ok) throw new AppError('validation_failed', undefined, prepared.details);
      const now = Date.now();
      const [result] = await store.write((tx) => applyClients(tx, p.workspaceId, prepared.items, now));
      // What was written is the normalised body: answer with it rather than reading it back.
      return reply.code(result!.result === 'created' ? 201 : 200).send({ result: result!.result, client: stampedView(prepared.items[0]!, result!) });
    },
  );

  r.get(
    '/v1/clients/:clientId',
    {
      onRequest,
      schema: { tags: ['ingest'], summary: 'Read a client', params: Params, response: { 200: ClientView, 401: INGEST_ERRORS[401], 404: ErrorBodySchema } },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findClient(store.db, p.workspaceId, req.params.clientId);
      if (!row) throw new AppError('not_found', `No client ${JSON.stringify(req.params.clientId)} in this workspace`);
      return clientView(row);
    },
  );
}

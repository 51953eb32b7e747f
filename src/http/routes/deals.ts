import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DealInput, DealView, type DealBody } from '../../domain/deal.js';
import { PlatformId } from '../../domain/schema-parts.js';
import { AppError } from '../../errors.js';
import { applyDeals, prepareDeals } from '../../ingest/deals.js';
import { findDeal } from '../../store/deals.js';
import { readJson, type Store } from '../../store/store.js';
import { principalOf, requireApiKey } from '../auth.js';
import { ErrorBodySchema, stampedView, WriteResultSchema } from '../views.js';
import { INGEST_ERRORS } from './errors.js';

const Params = z.object({ dealId: PlatformId });
const WriteResponse = z.object({ result: WriteResultSchema, deal: DealView });

/**
 * Deals on request (PRODUCT.md S8): the platform asks for a deal for a client, and crm-sync
 * creates it once in each connected CRM that has deals, for that client's contact.
 */
export async function dealRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireApiKey(store, 'ingest');

  r.put(
    '/v1/deals/:dealId',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Ask for a deal for a client',
        description:
          'Creates the deal in each connected CRM that has deals, once, for the client’s contact (after the contact is synced). A later PUT of the same deal is stored but does not edit the CRM’s deal.',
        params: Params,
        body: DealInput,
        response: { 200: WriteResponse, 201: WriteResponse, ...INGEST_ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const [body] = prepareDeals([{ id: req.params.dealId, input: req.body }]);
      const now = Date.now();
      const [result] = await store.write((tx) => applyDeals(tx, p.workspaceId, [body!], now));
      return reply.code(result!.result === 'created' ? 201 : 200).send({ result: result!.result, deal: stampedView(body!, result!) });
    },
  );

  r.get(
    '/v1/deals/:dealId',
    {
      onRequest,
      schema: { tags: ['ingest'], summary: 'Read a deal', params: Params, response: { 200: DealView, 401: INGEST_ERRORS[401], 404: ErrorBodySchema } },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findDeal(store.db, p.workspaceId, req.params.dealId);
      if (!row) throw new AppError('not_found', `No deal ${JSON.stringify(req.params.dealId)} in this workspace`);
      return stampedView(readJson<DealBody>(row.body), { version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CompanyInput, CompanyView } from '../../domain/company.js';
import { PlatformId } from '../../domain/schema-parts.js';
import { AppError } from '../../errors.js';
import { applyCompanies, prepareCompanies } from '../../ingest/companies.js';
import { findCompany } from '../../store/companies.js';
import type { Store } from '../../store/store.js';
import { principalOf, requireApiKey } from '../auth.js';
import { companyView, ErrorBodySchema, stampedView, WriteResultSchema } from '../views.js';
import { INGEST_ERRORS } from './errors.js';

const Params = z.object({ companyId: PlatformId });
const WriteResponse = z.object({ result: WriteResultSchema, company: CompanyView });

export async function companyRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireApiKey(store, 'ingest');

  r.put(
    '/v1/companies/:companyId',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Create or replace a company',
        params: Params,
        body: CompanyInput,
        response: { 200: WriteResponse, 201: WriteResponse, ...INGEST_ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const prepared = prepareCompanies([{ id: req.params.companyId, input: req.body, path: '' }]);
      if (!prepared.ok) throw new AppError('validation_failed', undefined, prepared.details);
      const now = Date.now();
      const [result] = await store.write((tx) => applyCompanies(tx, p.workspaceId, prepared.items, now));
      return reply.code(result!.result === 'created' ? 201 : 200).send({ result: result!.result, company: stampedView(prepared.items[0]!, result!) });
    },
  );

  r.get(
    '/v1/companies/:companyId',
    {
      onRequest,
      schema: { tags: ['ingest'], summary: 'Read a company', params: Params, response: { 200: CompanyView, 401: INGEST_ERRORS[401], 404: ErrorBodySchema } },
    },
    async (req) => {
      const p = principalOf(req);
      const row = await findCompany(store.db, p.workspaceId, req.params.companyId);
      if (!row) throw new AppError('not_found', `No company ${JSON.stringify(req.params.companyId)} in this workspace`);
      return companyView(row);
    },
  );
}

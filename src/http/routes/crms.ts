import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONNECTIONS } from '../../connectors/registry.js';
import { CRM_IDS, CRM_NAMES } from '../../domain/crm.js';

const Field = z.object({ name: z.string(), label: z.string(), help: z.string(), secret: z.boolean(), required: z.boolean() });
const CrmInfo = z.object({
  id: z.enum(CRM_IDS),
  name: z.string(),
  authMethods: z.array(z.enum(['oauth', 'api_key', 'service'])),
  fields: z.object({ api_key: z.array(Field), service: z.array(Field), target: z.array(Field) }),
});

/** The seven CRMs, how each connects and what each form needs (no auth: it holds no secrets). */
export async function crmRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/crms',
    { schema: { tags: ['admin'], summary: 'The CRMs crm-sync connects to, with their auth methods and fields', security: [], response: { 200: z.array(CrmInfo) } } },
    async () =>
      CRM_IDS.map((id) => {
        const c = CONNECTIONS[id];
        return { id, name: CRM_NAMES[id], authMethods: c.methods, fields: { api_key: c.apiKeyFields, service: c.serviceFields, target: c.targetFields } };
      }),
  );
}

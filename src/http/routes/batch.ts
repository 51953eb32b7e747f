import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ClientInput } from '../../domain/client.js';
import { CompanyInput } from '../../domain/company.js';
import { ConversationFields, withTimeOrder } from '../../domain/conversation.js';
import { DealInput } from '../../domain/deal.js';
import { PlatformId } from '../../domain/schema-parts.js';
import { AppError } from '../../errors.js';
import { applyClients, prepareClients } from '../../ingest/clients.js';
import { applyCompanies, prepareCompanies } from '../../ingest/companies.js';
import { applyConversations, prepareConversations } from '../../ingest/conversations.js';
import { applyDeals, prepareDeals } from '../../ingest/deals.js';
import { publicResult } from '../../ingest/types.js';
import type { Store } from '../../store/store.js';
import { principalOf, requireApiKey } from '../auth.js';
import { ErrorBodySchema, WriteResultSchema } from '../views.js';
import { INGEST_ERRORS } from './errors.js';

export const BATCH_MAX_ITEMS = 5_000;
/** All kinds together: what one batch may hold in memory while it is validated and written. */
export const BATCH_MAX_TOTAL_ITEMS = 10_000;
export const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

const KINDS = ['clients', 'companies', 'conversations', 'deals'] as const;

/** Counted before validation, which is what costs time and memory for each item. */
async function refuseOversizedBatch(req: { body: unknown }): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const total = KINDS.reduce((n, kind) => n + (Array.isArray(body[kind]) ? (body[kind] as unknown[]).length : 0), 0);
  if (total > BATCH_MAX_TOTAL_ITEMS) {
    const message = `A batch holds at most ${BATCH_MAX_TOTAL_ITEMS} items in all (clients, companies, conversations and deals together); this one has ${total}. Split it.`;
    throw new AppError('validation_failed', message, [{ path: '(body)', message: `has ${total} items; at most ${BATCH_MAX_TOTAL_ITEMS}` }]);
  }
}

const BatchInput = z
  .object({
    clients: z.array(ClientInput.extend({ id: PlatformId })).max(BATCH_MAX_ITEMS),
    companies: z.array(CompanyInput.extend({ id: PlatformId })).max(BATCH_MAX_ITEMS),
    conversations: z.array(withTimeOrder(ConversationFields.extend({ id: PlatformId }))).max(BATCH_MAX_ITEMS),
    deals: z.array(DealInput.extend({ id: PlatformId })).max(BATCH_MAX_ITEMS),
  })
  .partial()
  .strict();

const Results = z.array(z.object({ id: z.string(), result: WriteResultSchema, version: z.number().int() }));
const BatchResponse = z.object({ clients: Results, companies: Results, conversations: Results, deals: Results });

export async function batchRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/batch',
    {
      onRequest: requireApiKey(store, 'ingest'),
      bodyLimit: BATCH_BODY_LIMIT,
      preValidation: refuseOversizedBatch,
      schema: {
        tags: ['ingest'],
        summary: 'Write many clients, companies, conversations and deals at once',
        description: `All or nothing: every item is checked first and one bad item rejects the whole batch, naming it (e.g. clients[3].emails[0]). Up to ${BATCH_MAX_ITEMS} items of each kind, ${BATCH_MAX_TOTAL_ITEMS} in all, and 32 MiB. A large body (over 1 MiB) may be refused with 503 server_busy and Retry-After while other large bodies are being processed.`,
        body: BatchInput,
        response: { 200: BatchResponse, ...INGEST_ERRORS, 503: ErrorBodySchema.describe('server_busy: other large bodies hold the memory budget; honour Retry-After') },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { clients = [], companies = [], conversations = [], deals = [] } = req.body;
      const preparedClients = prepareClients(clients.map(({ id, ...input }, i) => ({ id, input, path: `clients[${i}]` })), p.defaultCountry);
      const preparedCompanies = prepareCompanies(companies.map(({ id, ...input }, i) => ({ id, input, path: `companies[${i}]` })));
      const preparedConversations = prepareConversations(
        conversations.map(({ id, ...input }, i) => ({ id, input, path: `conversations[${i}]` })),
        p.defaultCountry,
      );
      const details = [preparedClients, preparedCompanies, preparedConversations].flatMap((x) => (x.ok ? [] : x.details));
      if (!preparedClients.ok || !preparedCompanies.ok || !preparedConversations.ok) throw new AppError('validation_failed', undefined, details);
      const now = Date.now();
      return store.write(async (tx) => {
        const companies = (await applyCompanies(tx, p.workspaceId, preparedCompanies.items, now)).map(publicResult);
        const clients = (await applyClients(tx, p.workspaceId, preparedClients.items, now)).map(publicResult);
        const written = new Set(clients.filter((c) => c.result !== 'unchanged').map((c) => c.id));
        return {
          companies,
          clients,
          conversations: await applyConversations(tx, p.workspaceId, preparedConversations.items, now, written),
          deals: (await applyDeals(tx, p.workspaceId, prepareDeals(deals.map(({ id, ...input }) => ({ id, input }))), now)).map(publicResult),
        };
      });
    },
  );
}

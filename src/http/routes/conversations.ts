import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConversationInput, MessagesInput } from '../../domain/conversation.js';
import { PlatformId } from '../../domain/schema-parts.js';
import { AppError } from '../../errors.js';
import { applyConversations, applyMessages, prepareConversations } from '../../ingest/conversations.js';
import { findConversation } from '../../store/conversations.js';
import { listMessages } from '../../store/messages.js';
import type { Store, Tx } from '../../store/store.js';
import { principalOf, requireApiKey } from '../auth.js';
import { conversationView, ConversationView, ErrorBodySchema, WriteResultSchema } from '../views.js';
import { INGEST_ERRORS } from './errors.js';

const Params = z.object({ conversationId: PlatformId });
const WriteResponse = z.object({ result: WriteResultSchema, conversation: ConversationView });

async function readConversation(db: Tx, workspaceId: string, id: string): Promise<ConversationView | undefined> {
  const row = await findConversation(db, workspaceId, id);
  return row ? conversationView(row, await listMessages(db, workspaceId, id)) : undefined;
}

export async function conversationRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireApiKey(store, 'ingest');
  const notFound = (id: string) => new AppError('not_found', `No conversation ${JSON.stringify(id)} in this workspace`);

  r.put(
    '/v1/conversations/:conversationId',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Create or replace a conversation, with its messages and AI analysis',
        description: 'Messages are upserted by id and never removed by a PUT that leaves them out. The same body twice changes nothing.',
        params: Params,
        body: ConversationInput,
        response: { 200: WriteResponse, 201: WriteResponse, ...INGEST_ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const id = req.params.conversationId;
      const prepared = prepareConversations([{ id, input: req.body, path: '' }], p.defaultCountry);
      if (!prepared.ok) throw new AppError('validation_failed', undefined, prepared.details);
      const now = Date.now();
      const { result, view } = await store.write(async (tx) => {
        const [result] = await applyConversations(tx, p.workspaceId, prepared.items, now);
        return { result: result!, view: await readConversation(tx, p.workspaceId, id) };
      });
      return reply.code(result.result === 'created' ? 201 : 200).send({ result: result.result, conversation: view! });
    },
  );

  r.post(
    '/v1/conversations/:conversationId/messages',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Add messages to a conversation',
        description: 'The body is one message, or {"messages": [...]}. A message id already stored with the same content changes nothing.',
        params: Params,
        body: MessagesInput,
        response: { 200: WriteResponse, ...INGEST_ERRORS, 404: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const id = req.params.conversationId;
      const now = Date.now();
      const outcome = await store.write(async (tx) => {
        const result = await applyMessages(tx, p.workspaceId, id, req.body.messages, now);
        return result && { result, view: await readConversation(tx, p.workspaceId, id) };
      });
      if (!outcome) throw notFound(id);
      return { result: outcome.result.result, conversation: outcome.view! };
    },
  );

  r.get(
    '/v1/conversations/:conversationId',
    {
      onRequest,
      schema: {
        tags: ['ingest'],
        summary: 'Read a conversation with its messages and analysis',
        params: Params,
        response: { 200: ConversationView, 401: INGEST_ERRORS[401], 404: ErrorBodySchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const view = await readConversation(store.db, p.workspaceId, req.params.conversationId);
      if (!view) throw notFound(req.params.conversationId);
      return view;
    },
  );
}

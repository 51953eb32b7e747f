import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { ApiKeyView, CreateApiKeyBody, NewApiKeyView, RotateApiKeyQuery } from '../../workspaces/api-key-view.js';
import { createKey, listKeys, revokeKey, rotateKey } from '../../workspaces/api-keys.js';
import { forgetApiKey, KEY_CACHE_MS, principalOf } from '../auth.js';
import { requireAdmin } from '../session.js';
import { ErrorBodySchema } from '../views.js';

const Params = z.object({ id: z.string().min(1).max(100) });
const Errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema };
const WHO = 'Only the workspace owner, a Settings Admin or an API key with the admin scope';

/** A member may see the keys (names, scopes, last use; never a secret) but not change them. */
async function onlyManagers(req: FastifyRequest): Promise<void> {
  if (principalOf(req).role === 'member') throw new AppError('forbidden', `${WHO} can create, rotate or revoke API keys; ask one of them.`);
}

/** PRODUCT.md K9: API keys scoped, listed, created, revoked and rotated by an admin. */
export async function apiKeyRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = requireAdmin(store, { write: false });
  const manage = [read, onlyManagers];

  r.get(
    '/v1/api-keys',
    { onRequest: read, schema: { tags: ['admin'], summary: 'This workspace’s API keys, newest first, revoked ones included (never their secrets)', response: { 200: z.array(ApiKeyView), 401: ErrorBodySchema, 403: ErrorBodySchema } } },
    async (req) => listKeys(store, principalOf(req).workspaceId),
  );

  r.post(
    '/v1/api-keys',
    {
      onRequest: manage,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key with the scopes given; the key is in this answer only',
        description: `${WHO} may manage keys. Scopes: ingest (the ingest routes) and admin (connections, settings, sync, keys); admin does not include ingest.`,
        body: CreateApiKeyBody,
        response: { 201: NewApiKeyView, ...Errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      return reply.code(201).send(await createKey(store, p.workspaceId, p.actor, req.body));
    },
  );

  r.post(
    '/v1/api-keys/:id/rotate',
    {
      onRequest: manage,
      schema: {
        tags: ['admin'],
        summary: 'Rotate: a new key with the same name and scopes; the old one stops at once, or after graceSeconds (at most an hour)',
        description: 'The new key is in this answer only. A revoked or already rotated key cannot be rotated (409).',
        params: Params,
        querystring: RotateApiKeyQuery,
        response: { 201: NewApiKeyView, ...Errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const created = await rotateKey(store, p.workspaceId, p.actor, req.params.id, req.query.graceSeconds ?? 0);
      forgetApiKey(store, req.params.id);
      return reply.code(201).send(created);
    },
  );

  r.delete(
    '/v1/api-keys/:id',
    {
      onRequest: manage,
      schema: {
        tags: ['admin'],
        summary: `Revoke: the key stops at once on this server, and within ${KEY_CACHE_MS / 1000} seconds on other processes sharing the database`,
        params: Params,
        response: { 200: ApiKeyView, ...Errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const view = await revokeKey(store, p.workspaceId, p.actor, req.params.id);
      forgetApiKey(store, req.params.id);
      return view;
    },
  );
}

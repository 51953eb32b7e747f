import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseApiKey, secretMatches, type ApiKeyScope } from '../auth/api-keys.js';
import { AppError } from '../errors.js';
import { readJson, type Store } from '../store/store.js';

/** Who is calling: a workspace's API key (the UI's sessions come later through the same shape). */
export interface Principal {
  workspaceId: string;
  defaultCountry: string;
  scopes: ApiKeyScope[];
  /** For the audit log: `api_key:<id>` or `user:<id>`. */
  actor: string;
  /** An API key with the admin scope acts as the owner. */
  role: 'owner' | 'settings_admin' | 'member';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

interface KeyRow {
  id: string;
  workspace_id: string;
  secret_hash: string;
  scopes: unknown;
  revoked_at: number | null;
  default_country: string;
}

/**
 * Key rows are kept for a few seconds per store: the lookup was a query on every ingest
 * request. The secret is still checked on every request; a revocation takes effect within
 * KEY_CACHE_MS.
 */
const KEY_CACHE_MS = 5_000;
const keyCaches = new WeakMap<Store, Map<string, { row: KeyRow | undefined; until: number }>>();

async function findKey(store: Store, id: string): Promise<KeyRow | undefined> {
  let cache = keyCaches.get(store);
  if (!cache) keyCaches.set(store, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.row;
  const row = await store.db
    .selectFrom('api_keys')
    .innerJoin('workspaces', 'workspaces.id', 'api_keys.workspace_id')
    .select(['api_keys.id', 'api_keys.workspace_id', 'api_keys.secret_hash', 'api_keys.scopes', 'api_keys.revoked_at', 'workspaces.default_country'])
    .where('api_keys.id', '=', id)
    .executeTakeFirst();
  if (cache.size > 10_000) cache.clear();
  cache.set(id, { row, until: now + KEY_CACHE_MS });
  return row;
}

/** An onRequest hook that admits only a valid, unrevoked API key with `scope`. */
export function requireApiKey(store: Store, scope: ApiKeyScope) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw new AppError('unauthorized', 'Missing Authorization header; send Authorization: Bearer <API key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const parsed = match ? parseApiKey(match[1]!) : undefined;
    if (!parsed) throw new AppError('unauthorized', 'The Authorization header does not hold a crm-sync API key (Bearer csk_...)');
    const row = await findKey(store, parsed.id);
    if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) {
      throw new AppError('unauthorized', 'The API key is not valid or has been revoked');
    }
    const scopes = readJson<ApiKeyScope[]>(row.scopes);
    if (!scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the "${scope}" scope`);
    req.principal = { workspaceId: row.workspace_id, defaultCountry: row.default_country, scopes, actor: `api_key:${row.id}`, role: 'owner' };
  };
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized');
  return req.principal;
}

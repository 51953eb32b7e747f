import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseApiKey, secretMatches, type ApiKeyScope } from '../auth/api-keys.js';
import { AppError } from '../errors.js';
import { findKeyForAuth, touchApiKey } from '../store/api-keys.js';
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

type KeyRow = NonNullable<Awaited<ReturnType<typeof findKeyForAuth>>>;

/**
 * Key rows are kept for a few seconds per store: the lookup was a query on every ingest
 * request. The secret is still checked on every request. A revocation takes effect at once in
 * the process that made it (it forgets the row) and within KEY_CACHE_MS in every other one.
 */
export const KEY_CACHE_MS = 5_000;
/** A use is noted at most this often per key and process (see touchApiKey). */
const TOUCH_EVERY_MS = 60_000;

interface KeyCache {
  rows: Map<string, { row: KeyRow | undefined; until: number }>;
  touched: Map<string, number>;
  /** Bumped by forgetApiKey: a lookup that began before it does not cache what it read. */
  generation: number;
}
const keyCaches = new WeakMap<Store, KeyCache>();

function cacheOf(store: Store): KeyCache {
  let cache = keyCaches.get(store);
  if (!cache) keyCaches.set(store, (cache = { rows: new Map(), touched: new Map(), generation: 0 }));
  return cache;
}

async function findKey(store: Store, id: string): Promise<KeyRow | undefined> {
  const cache = cacheOf(store);
  const now = Date.now();
  const hit = cache.rows.get(id);
  if (hit && hit.until > now) return hit.row;
  const generation = cache.generation;
  const row = await findKeyForAuth(store.db, id);
  if (generation !== cache.generation) return row;
  if (cache.rows.size > 10_000) cache.rows.clear();
  cache.rows.set(id, { row, until: now + KEY_CACHE_MS });
  return row;
}

/** Makes this process read the key's row again on its next use: call after revoking or rotating it. */
export function forgetApiKey(store: Store, id: string): void {
  const cache = cacheOf(store);
  cache.rows.delete(id);
  cache.generation++;
}

async function noteUse(store: Store, id: string, now: number): Promise<void> {
  const cache = cacheOf(store);
  if ((cache.touched.get(id) ?? 0) > now - TOUCH_EVERY_MS) return;
  if (cache.touched.size > 10_000) cache.touched.clear();
  cache.touched.set(id, now);
  // Bookkeeping only: a failure to note the use must not refuse a valid key.
  await touchApiKey(store.db, id, now).catch(() => undefined);
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
    const now = Date.now();
    // A future revoked_at is a rotated key's grace period: it works until then.
    if (!row || (row.revoked_at !== null && row.revoked_at <= now) || !secretMatches(parsed.secret, row.secret_hash)) {
      throw new AppError('unauthorized', 'The API key is not valid or has been revoked');
    }
    const scopes = readJson<ApiKeyScope[]>(row.scopes);
    // Scopes are separate: admin does not imply ingest, so a leaked ingest key cannot change connections and an admin key kept by a person is not wired into a data feed.
    if (!scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the "${scope}" scope`);
    await noteUse(store, row.id, now);
    req.principal = { workspaceId: row.workspace_id, defaultCountry: row.default_country, scopes, actor: `api_key:${row.id}`, role: 'owner' };
  };
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized');
  return req.principal;
}

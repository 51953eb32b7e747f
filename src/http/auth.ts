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

/** An onRequest hook that admits only a valid, unrevoked API key with `scope`. */
export function requireApiKey(store: Store, scope: ApiKeyScope) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw new AppError('unauthorized', 'Missing Authorization header; send Authorization: Bearer <API key>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const parsed = match ? parseApiKey(match[1]!) : undefined;
    if (!parsed) throw new AppError('unauthorized', 'The Authorization header does not hold a crm-sync API key (Bearer csk_...)');
    const row = await store.db
      .selectFrom('api_keys')
      .innerJoin('workspaces', 'workspaces.id', 'api_keys.workspace_id')
      .select(['api_keys.id', 'api_keys.workspace_id', 'api_keys.secret_hash', 'api_keys.scopes', 'api_keys.revoked_at', 'workspaces.default_country'])
      .where('api_keys.id', '=', parsed.id)
      .executeTakeFirst();
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

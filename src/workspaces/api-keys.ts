import { API_KEY_SCOPES, generateApiKey, type ApiKeyScope } from '../auth/api-keys.js';
import { AppError } from '../errors.js';
import { findApiKey, insertApiKey, listApiKeys, retireApiKey, revokeApiKey } from '../store/api-keys.js';
import { appendAudit } from '../store/audit.js';
import type { ApiKeyTable } from '../store/schema.js';
import { writeJson, type Store, type Tx } from '../store/store.js';
import { apiKeyView, type ApiKeyView, type NewApiKeyView } from './api-key-view.js';

/**
 * Managing a workspace's API keys (PRODUCT.md K9), for the HTTP routes and the CLI alike.
 * Every change is in the audit log. The caller of a revocation or rotation in a serving
 * process also calls forgetApiKey, so that process stops the old key at once.
 */
export async function listKeys(store: Store, workspaceId: string): Promise<ApiKeyView[]> {
  return (await listApiKeys(store.db, workspaceId)).map(apiKeyView);
}

export async function createKey(store: Store, workspaceId: string, actor: string, input: { name: string; scopes: ApiKeyScope[] }): Promise<NewApiKeyView> {
  const scopes = API_KEY_SCOPES.filter((s) => input.scopes.includes(s));
  return store.write(async (tx) => {
    const created = await insertKey(tx, workspaceId, actor, input.name, scopes, Date.now());
    await appendAudit(tx, { workspaceId, actor, action: 'api_key.created', target: created.id, details: { name: created.name, scopes } });
    return created;
  });
}

/**
 * A new key with the old one's name and scopes; the old one stops at once, or after
 * `graceSeconds` so senders can switch to the new key without failed requests.
 */
export async function rotateKey(store: Store, workspaceId: string, actor: string, id: string, graceSeconds = 0): Promise<NewApiKeyView> {
  return store.write(async (tx) => {
    const old = await liveKey(tx, workspaceId, id);
    const now = Date.now();
    const stopsAt = now + graceSeconds * 1000;
    // Two rotations at once: only one retires the key, the other fails and inserts nothing.
    if (!(await retireApiKey(tx, workspaceId, id, stopsAt))) throw revokedConflict(id);
    const created = await insertKey(tx, workspaceId, actor, old.name, apiKeyView(old).scopes, now);
    await appendAudit(tx, { workspaceId, actor, action: 'api_key.rotated', target: id, details: { newKeyId: created.id, oldKeyStopsAt: new Date(stopsAt).toISOString() } }, now);
    return created;
  });
}

/** Stops the key now (also cutting short a rotation's grace period); revoking a revoked key changes nothing. */
export async function revokeKey(store: Store, workspaceId: string, actor: string, id: string): Promise<ApiKeyView> {
  return store.write(async (tx) => {
    const row = await findApiKey(tx, workspaceId, id);
    if (!row) throw notFound(id);
    const now = Date.now();
    if (!(await revokeApiKey(tx, workspaceId, id, now))) return apiKeyView(row);
    await appendAudit(tx, { workspaceId, actor, action: 'api_key.revoked', target: id, details: { name: row.name } }, now);
    return apiKeyView({ ...row, revoked_at: now });
  });
}

async function insertKey(tx: Tx, workspaceId: string, actor: string, name: string, scopes: ApiKeyScope[], now: number): Promise<NewApiKeyView> {
  const key = generateApiKey();
  const row: ApiKeyTable = { id: key.id, workspace_id: workspaceId, name, secret_hash: key.secretHash, scopes: writeJson(scopes), created_at: now, created_by: actor, last_used_at: null, revoked_at: null };
  await insertApiKey(tx, row);
  return { ...apiKeyView(row), key: key.key };
}

async function liveKey(tx: Tx, workspaceId: string, id: string): Promise<ApiKeyTable> {
  const row = await findApiKey(tx, workspaceId, id);
  if (!row) throw notFound(id);
  if (row.revoked_at !== null) throw revokedConflict(id);
  return row;
}

const notFound = (id: string) => new AppError('not_found', `No API key ${JSON.stringify(id)} in this workspace`);
const revokedConflict = (id: string) => new AppError('conflict', `API key ${JSON.stringify(id)} is revoked or already rotated; create a new key instead`);

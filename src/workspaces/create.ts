import { API_KEY_SCOPES, generateApiKey } from '../auth/api-keys.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { newId } from '../domain/ids.js';
import { insertApiKey } from '../store/api-keys.js';
import { appendAudit } from '../store/audit.js';
import type { Store } from '../store/store.js';
import { insertUser } from '../store/users.js';
import { insertWorkspace } from '../store/workspaces.js';
import { writeJson } from '../store/store.js';

export interface NewWorkspace {
  workspaceId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
  adminEmail: string;
  /** Shown once; only its scrypt hash is stored. */
  adminPassword: string;
}

export interface NewWorkspaceOptions {
  name: string;
  adminEmail?: string;
  defaultCountry?: string;
}

/** A workspace with its owner and an API key that has every scope, in one transaction. */
export async function createWorkspace(store: Store, options: NewWorkspaceOptions): Promise<NewWorkspace> {
  const workspaceId = newId('ws');
  const adminEmail = (options.adminEmail ?? `admin+${workspaceId.slice(3, 11)}@${slug(options.name)}.crm-sync.local`).trim().toLowerCase();
  const adminPassword = generatePassword();
  const passwordHash = await hashPassword(adminPassword);
  const key = generateApiKey();
  const now = Date.now();
  const userId = newId('usr');
  await store.write(async (tx) => {
    await insertWorkspace(tx, { id: workspaceId, name: options.name, default_country: (options.defaultCountry ?? 'US').toUpperCase(), created_at: now });
    await insertUser(tx, { id: userId, workspace_id: workspaceId, email: adminEmail, name: 'Workspace owner', role: 'owner', password_hash: passwordHash, created_at: now });
    await insertApiKey(tx, { id: key.id, workspace_id: workspaceId, name: 'default', secret_hash: key.secretHash, scopes: writeJson(API_KEY_SCOPES), created_at: now, created_by: 'system', last_used_at: null, revoked_at: null });
    await appendAudit(tx, { workspaceId, actor: 'system', action: 'workspace.created', target: workspaceId, details: { name: options.name, owner: adminEmail, apiKeyId: key.id } }, now);
  });
  return { workspaceId, apiKey: key.key, adminEmail, adminPassword };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'workspace';
}

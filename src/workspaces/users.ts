import { generatePassword, hashPassword } from '../auth/passwords.js';
import { newId } from '../domain/ids.js';
import { normalizeEmail } from '../domain/contact-points.js';
import { appendAudit } from '../store/audit.js';
import type { UserTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { findUserByEmail, insertUser } from '../store/users.js';
import { findWorkspace } from '../store/workspaces.js';

export const ROLES = ['owner', 'settings_admin', 'member'] as const;

/** Adds a person to a workspace with a generated password, shown once. */
export async function addUser(
  store: Store,
  p: { workspaceId: string; email: string; role: UserTable['role']; name?: string; actor?: string },
): Promise<{ userId: string; email: string; password: string }> {
  const email = normalizeEmail(p.email);
  if (!email) throw new Error(`${JSON.stringify(p.email)} is not a valid e-mail address`);
  if (!(await findWorkspace(store.db, p.workspaceId))) throw new Error(`no workspace ${p.workspaceId}`);
  if (await findUserByEmail(store.db, email)) throw new Error(`${email} already has an account`);
  const password = generatePassword();
  const hash = await hashPassword(password);
  const userId = newId('usr');
  const now = Date.now();
  await store.write(async (tx) => {
    await insertUser(tx, { id: userId, workspace_id: p.workspaceId, email, name: p.name ?? email, role: p.role, password_hash: hash, created_at: now });
    await appendAudit(tx, { workspaceId: p.workspaceId, actor: p.actor ?? 'system', action: 'user.added', target: userId, details: { email, role: p.role } }, now);
  });
  return { userId, email, password };
}

import { usersByEmail } from '../owner-directory.js';
import type { OutboundContext } from '../outbound.js';
import { query } from './soql.js';

/** The active Salesforce user with this e-mail, from the org's active users listed once (oldest first, so the oldest wins). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return undefined;
  const users = await usersByEmail(ctx, 'salesforce:users', async () =>
    (await query(ctx, 'SELECT Id, Email FROM User WHERE IsActive = true ORDER BY CreatedDate ASC')).flatMap((u) =>
      typeof u.Id === 'string' ? [{ id: u.Id, email: typeof u.Email === 'string' ? u.Email : undefined }] : [],
    ),
  );
  return users.get(wanted);
}

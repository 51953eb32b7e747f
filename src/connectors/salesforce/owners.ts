import type { OutboundContext } from '../outbound.js';
import { literal, query } from './soql.js';

/** The active Salesforce user with this e-mail (SOQL compares text case-insensitively). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return undefined;
  const [user] = await query(ctx, `SELECT Id FROM User WHERE Email = ${literal(wanted)} AND IsActive = true ORDER BY CreatedDate ASC LIMIT 1`);
  return typeof user?.Id === 'string' ? user.Id : undefined;
}

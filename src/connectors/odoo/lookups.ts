import { usersByEmail } from '../owner-directory.js';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { searchRead } from './api.js';
import { Row } from './schemas.js';

/**
 * An active user whose login or e-mail is this address (logins are usually e-mails in Odoo), from
 * the active users listed once (oldest first, so the oldest wins; a login before an e-mail).
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const e = email.trim().toLowerCase();
  if (!e) return undefined;
  const users = await usersByEmail(ctx, 'odoo:users', async () => {
    const rows = await searchRead(ctx, 'res.users', [], ['login', 'email'], Row, { order: 'id asc' });
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return rows.flatMap((u) => [{ id: String(u.id), email: text(u.login) }, { id: String(u.id), email: text(u.email) }]);
  });
  return users.get(e);
}

/** The partner's open opportunity: a crm.lead of type opportunity, active, in a stage that is not won; the latest first. */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'res.partner') return undefined;
  const domain = [['partner_id', '=', Number(contact.id)], ['type', '=', 'opportunity'], ['active', '=', true], ['stage_id.is_won', '!=', true]];
  const rows = await searchRead(ctx, 'crm.lead', domain, ['name'], Row, { limit: 1, order: 'id desc' });
  return rows[0] ? { object: 'crm.lead', id: String(rows[0].id) } : undefined;
}

import type { CrmRef, OutboundContext } from '../outbound.js';
import { searchRead } from './api.js';

/** An active user whose login or e-mail is this address (logins are usually e-mails in Odoo). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const e = email.trim().toLowerCase();
  if (!e) return undefined;
  const rows = await searchRead<{ id: number }>(ctx, 'res.users', ['|', ['login', '=ilike', e], ['email', '=ilike', e]], ['login'], { limit: 1, order: 'id asc' });
  return rows[0] ? String(rows[0].id) : undefined;
}

/** The partner's open opportunity: a crm.lead of type opportunity, active, in a stage that is not won; the latest first. */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'res.partner') return undefined;
  const domain = [['partner_id', '=', Number(contact.id)], ['type', '=', 'opportunity'], ['active', '=', true], ['stage_id.is_won', '!=', true]];
  const rows = await searchRead<{ id: number }>(ctx, 'crm.lead', domain, ['name'], { limit: 1, order: 'id desc' });
  return rows[0] ? { object: 'crm.lead', id: String(rows[0].id) } : undefined;
}

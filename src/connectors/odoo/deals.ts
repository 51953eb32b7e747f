import { CrmError } from '../errors.js';
import type { CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { callOdoo, chunks, searchRead } from './api.js';
import { ODOO } from './facts.js';
import { createdIds, Many2one, Row, rowWith } from './schemas.js';

const LEAD = 'crm.lead';
/** The key as it stands in the notes' HTML, and as the search looks for it. */
const marker = (key: string) => `[${ODOO.dealKeyPrefix}${key}]`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An opportunity (crm.lead of type opportunity) for the contact, on request (PRODUCT.md S8).
 * crm.lead has no reference field, so our key is a marker in its internal notes, where Odoo
 * shows it small; before creating we search for it (archived and lost ones too: a deal once
 * made is not made again), and Odoo's searches read the database, so a create whose answer
 * was lost is found by the replay. The amount is the expected revenue, in the company's
 * currency (an opportunity has no currency of its own).
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  if (deal.contact.object !== 'res.partner')
    return { ok: false, error: new CrmError('invalid', `An Odoo opportunity is for a contact (res.partner), not ${deal.contact.object} ${deal.contact.id}.`) };
  if (deal.closeDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(deal.closeDate))
    return { ok: false, error: new CrmError('invalid', `The deal "${deal.title}" has close date "${deal.closeDate}"; Odoo wants YYYY-MM-DD.`) };
  try {
    const [found] = await searchRead(ctx, LEAD, [['description', 'ilike', marker(deal.key)]], ['id'], Row, { order: 'id asc', limit: 1, context: { active_test: false } });
    if (found) return { ok: true, ref: { object: LEAD, id: String(found.id) }, created: false };
    const values: Record<string, unknown> = {
      name: deal.title,
      type: 'opportunity',
      partner_id: Number(deal.contact.id),
      description: `<p><small>${marker(deal.key)}</small></p>`,
    };
    if (deal.amount !== undefined) values.expected_revenue = deal.amount;
    if (deal.closeDate) values.date_deadline = deal.closeDate;
    if (deal.ownerId) values.user_id = Number(deal.ownerId);
    const [id] = await callOdoo(ctx, LEAD, 'create', { vals_list: [values] }, false, createdIds(1));
    return { ok: true, ref: { object: LEAD, id: String(id) }, created: true };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}

/** The open opportunities of many partners in one search per chunk: the latest per partner, as findOpenDeal picks. */
export async function findOpenDeals(ctx: OutboundContext, contacts: CrmRef[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const ids = [...new Set(contacts.filter((c) => c.object === 'res.partner').map((c) => Number(c.id)))];
  for (const chunk of chunks(ids, ODOO.searchChunk)) {
    const domain = [['partner_id', 'in', chunk], ['type', '=', 'opportunity'], ['active', '=', true], ['stage_id.is_won', '!=', true]];
    const rows = await searchRead(ctx, LEAD, domain, ['partner_id'], rowWith({ partner_id: Many2one }), { order: 'id desc' });
    for (const r of rows) {
      const partner = Array.isArray(r.partner_id) ? String(r.partner_id[0]) : undefined;
      if (partner && !found.has(partner)) found.set(partner, { object: LEAD, id: String(r.id) });
    }
  }
  return found;
}

import { CrmError } from '../errors.js';
import type { CanonicalDeal, OutboundContext, RecordOutcome } from '../outbound.js';
import { callPipedrive, listV2, PIPEDRIVE, v2 } from './api.js';
import { ownFieldKey } from './own-fields.js';
import { PERSON } from './persons.js';
import { Created, DealV2 } from './schemas.js';


/**
 * A deal created for a person on request (PRODUCT.md S8), idempotent by key: the key rides in
 * the "crm-sync deal key" deal field, and before creating we read the person's deals directly
 * (a list, not the lagging search), so a replay after a timeout that Pipedrive committed, or
 * after a crash, finds the deal instead of creating a second.
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  try {
    if (deal.contact.object !== PERSON) throw new CrmError('invalid', `A Pipedrive deal is created for a person, not a ${deal.contact.object} (${deal.contact.id}).`);
    if (deal.company && deal.company.object !== 'organization') throw new CrmError('invalid', `A Pipedrive deal's company must be an organization, not a ${deal.company.object} (${deal.company.id}).`);
    const key = await ownFieldKey(ctx, 'deal', PIPEDRIVE.dealKeyFieldName);
    const { items } = await listV2(ctx, '/deals', DealV2, { person_id: deal.contact.id });
    const done = items.find((d) => d.custom_fields?.[key] === deal.key);
    if (done) return { ok: true, ref: { object: 'deal', id: String(done.id) }, created: false };

    const body: Record<string, unknown> = { title: deal.title.slice(0, 255), person_id: Number(deal.contact.id), custom_fields: { [key]: deal.key } };
    if (deal.company) body.org_id = Number(deal.company.id);
    if (deal.amount !== undefined) body.value = deal.amount;
    if (deal.currency) body.currency = deal.currency.toUpperCase();
    if (deal.closeDate) body.expected_close_date = deal.closeDate;
    if (deal.ownerId) body.owner_id = Number(deal.ownerId);
    const created = (await callPipedrive(ctx, { method: 'POST', url: v2(ctx, '/deals'), body }, Created)).data;
    return { ok: true, ref: { object: 'deal', id: String(created.id) }, created: true };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}

import { CrmError } from '../errors.js';
import type { CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { byKey, DYNAMICS, refusal } from './api.js';
import { Opportunity, parseAnswer } from './schemas.js';

/** An opportunity's Topic holds at most 300 characters. */
const TOPIC_MAX = 300;

/**
 * Creates the opportunity for a contact (PRODUCT.md S8), once per deal key: a PATCH on the
 * alternate key cs_crmsyncid = key with `If-None-Match: *` creates it and never updates one
 * that exists, so a replay (also one the http layer sends after a timeout, when the first
 * attempt may have committed) answers 412 and we read back the opportunity the key names,
 * leaving whatever a salesperson changed on it. The potential customer is the contact (and
 * the parent account when the company is synced); without a currency, the organization's.
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  try {
    return await createOnce(ctx, deal);
  } catch (err) {
    // A timeout or outage the http layer could not ride out: the deal waits for a retry, which the key keeps single.
    if (err instanceof CrmError) return { ok: false, error: err };
    throw err;
  }
}

async function createOnce(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  if (deal.contact.object !== 'contacts') {
    const what = deal.contact.object === 'leads' ? `lead ${deal.contact.id}: qualify the lead into a contact first` : `${deal.contact.object} ${deal.contact.id}`;
    return { ok: false, error: new CrmError('invalid', `${DYNAMICS.name} opportunities are created for a contact, not for ${what}.`) };
  }
  const body: Record<string, unknown> = {
    name: deal.title.slice(0, TOPIC_MAX),
    'customerid_contact@odata.bind': `/contacts(${deal.contact.id})`,
    'parentcontactid@odata.bind': `/contacts(${deal.contact.id})`,
  };
  if (deal.company?.object === 'accounts') body['parentaccountid@odata.bind'] = `/accounts(${deal.company.id})`;
  if (deal.amount !== undefined) body.estimatedvalue = deal.amount;
  if (deal.closeDate) body.estimatedclosedate = deal.closeDate;
  if (deal.ownerId) body['ownerid@odata.bind'] = `/systemusers(${deal.ownerId})`;
  const url = `${ctx.apiBase}/${byKey('opportunities', deal.key)}`;
  const res = await ctx.http({
    method: 'PATCH',
    url,
    query: { $select: 'opportunityid' },
    headers: { 'if-none-match': '*', prefer: 'return=representation' },
    body,
    idempotent: true,
  });
  if (res.status === 201) return { ok: true, ref: opportunity(res.body), created: true };
  if (res.status !== 412) return { ok: false, error: refusal(res, 'opportunities', body) };
  const found = await ctx.http({ url, query: { $select: 'opportunityid' } });
  if (found.status === 200) return { ok: true, ref: opportunity(found.body), created: false };
  return { ok: false, error: refusal(found, 'opportunities') };
}

/** The opportunity an answer names; one without its id throws (createDeal makes it the outcome). */
function opportunity(body: unknown): CrmRef {
  return { object: 'opportunities', id: parseAnswer(Opportunity, body, 'opportunities').opportunityid };
}

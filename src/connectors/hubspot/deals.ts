import { z } from 'zod';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { chunk, failure, parse, send } from './api.js';
import { BATCH_SIZE, CLOSED_DEAL_STAGES, ASSOCIATION_READ_BATCH } from './facts.js';
import { BatchAnswer, type HubSpotObject } from './schemas.js';

/** `POST /crm/v4/associations/contacts/deals/batch/read`: contacts without a deal come back as 207 errors, which are just "none". */
const AssociationBatchAnswer = z.object({
  results: z.array(z.object({ from: z.object({ id: z.coerce.string() }), to: z.array(z.object({ toObjectId: z.coerce.string() })) })).default([]),
});

/** The contact's open deal (see findOpenDeals). */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  return (await findOpenDeals(ctx, [contact])).get(contact.id);
}

/**
 * The open deal of each contact: their associated deals (v4 associations, read in batch for up
 * to 1,000 contacts a call), then those deals in batches of 100, keeping those not closed
 * (`hs_is_closed` where HubSpot computes it, else the default pipeline's closed stages); per
 * contact the most recently changed one wins. A contact with more than 500 deals is read from
 * its first 500 (the batch answer's first page).
 */
export async function findOpenDeals(ctx: OutboundContext, contacts: CrmRef[]): Promise<Map<string, CrmRef>> {
  const dealsOf = await associatedDealIds(ctx, [...new Set(contacts.map((c) => c.id))]);
  const deals = await readDeals(ctx, [...new Set([...dealsOf.values()].flat())]);
  const found = new Map<string, CrmRef>();
  for (const [contactId, ids] of dealsOf) {
    const open = ids.map((id) => deals.get(id)).filter((d): d is HubSpotObject => d !== undefined && isOpen(d));
    const newest = open.sort((a, b) => changedAt(b) - changedAt(a) || Number(b.id) - Number(a.id))[0];
    if (newest) found.set(contactId, { object: 'deals', id: newest.id });
  }
  return found;
}

async function associatedDealIds(ctx: OutboundContext, contactIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunk(contactIds, ASSOCIATION_READ_BATCH)) {
    const res = await send(ctx, { method: 'POST', path: '/crm/v4/associations/contacts/deals/batch/read', body: { inputs: part.map((id) => ({ id })) } });
    if (res.status !== 200 && res.status !== 207) throw failure(res);
    for (const r of parse(AssociationBatchAnswer, res.body).results) out.set(r.from.id, [...new Set(r.to.map((t) => t.toObjectId))]);
  }
  return out;
}

async function readDeals(ctx: OutboundContext, ids: string[]): Promise<Map<string, HubSpotObject>> {
  const out = new Map<string, HubSpotObject>();
  for (const part of chunk(ids, BATCH_SIZE)) {
    const res = await send(ctx, {
      method: 'POST',
      path: '/crm/v3/objects/deals/batch/read',
      body: { inputs: part.map((id) => ({ id })), properties: ['dealstage', 'hs_is_closed', 'hs_lastmodifieddate'], propertiesWithHistory: [] },
    });
    if (res.status !== 200 && res.status !== 207) throw failure(res);
    for (const d of parse(BatchAnswer, res.body).results) out.set(d.id, d);
  }
  return out;
}

function isOpen(deal: HubSpotObject): boolean {
  const closed = deal.properties.hs_is_closed;
  if (closed === 'true' || closed === 'false') return closed === 'false';
  return !CLOSED_DEAL_STAGES.has(deal.properties.dealstage ?? '');
}

function changedAt(deal: HubSpotObject): number {
  return Date.parse(deal.properties.hs_lastmodifieddate ?? '') || 0;
}

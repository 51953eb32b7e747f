import type { CrmRef, OutboundContext } from '../outbound.js';
import { chunk, failure, fetchParsed, parse, send } from './api.js';
import { BATCH_SIZE, CLOSED_DEAL_STAGES } from './facts.js';
import { AssociationsAnswer, BatchAnswer, type HubSpotObject } from './schemas.js';

/**
 * The contact's open deal: its associated deals (v4) read in batch, keeping those not closed
 * (`hs_is_closed` where HubSpot computes it, else the default pipeline's closed stages); the
 * most recently changed one wins.
 */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  const dealIds = await associatedDealIds(ctx, contact.id);
  const open: HubSpotObject[] = [];
  for (const part of chunk(dealIds, BATCH_SIZE)) {
    const res = await send(ctx, {
      method: 'POST',
      path: '/crm/v3/objects/deals/batch/read',
      body: { inputs: part.map((id) => ({ id })), properties: ['dealstage', 'hs_is_closed', 'hs_lastmodifieddate'], propertiesWithHistory: [] },
    });
    if (res.status !== 200 && res.status !== 207) throw failure(res);
    open.push(...parse(BatchAnswer, res.body).results.filter(isOpen));
  }
  const newest = open.sort((a, b) => changedAt(b) - changedAt(a) || Number(b.id) - Number(a.id))[0];
  return newest ? { object: 'deals', id: newest.id } : undefined;
}

async function associatedDealIds(ctx: OutboundContext, contactId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await fetchParsed(
      ctx,
      { path: `/crm/v4/objects/contacts/${encodeURIComponent(contactId)}/associations/deals`, query: { limit: 500, after } },
      AssociationsAnswer,
    );
    ids.push(...page.results.map((r) => r.toObjectId));
    after = page.paging?.next?.after;
  } while (after);
  return [...new Set(ids)];
}

function isOpen(deal: HubSpotObject): boolean {
  const closed = deal.properties.hs_is_closed;
  if (closed === 'true' || closed === 'false') return closed === 'false';
  return !CLOSED_DEAL_STAGES.has(deal.properties.dealstage ?? '');
}

function changedAt(deal: HubSpotObject): number {
  return Date.parse(deal.properties.hs_lastmodifieddate ?? '') || 0;
}

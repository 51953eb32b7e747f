import type { CrmRef, OutboundContext } from '../outbound.js';
import { literal, query } from './soql.js';

/**
 * A Contact's open Opportunity through its contact roles, the most recently changed one
 * first. A Lead has no opportunities until it is converted.
 */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'Contact') return undefined;
  const [role] = await query(
    ctx,
    `SELECT OpportunityId FROM OpportunityContactRole WHERE ContactId = ${literal(contact.id)} AND Opportunity.IsClosed = false ORDER BY Opportunity.LastModifiedDate DESC LIMIT 1`,
  );
  return typeof role?.OpportunityId === 'string' ? { object: 'Opportunity', id: role.OpportunityId } : undefined;
}

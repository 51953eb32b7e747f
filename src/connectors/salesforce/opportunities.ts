import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { SALESFORCE, callSalesforce, dataUrl } from './api.js';
import { writeCollection } from './collections.js';
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

/** Days from today to an Opportunity's CloseDate when the request gives none (Salesforce requires one). */
const DEFAULT_CLOSE_DAYS = 30;
/** The first stage of Salesforce's default sales process, when describe offers none. */
const DEFAULT_STAGE = 'Prospecting';
const DESCRIBE_CACHE = 'salesforce:opportunityDescribe';

const Describe = z.object({
  fields: z.array(z.object({ name: z.string(), picklistValues: z.array(z.object({ value: z.string(), active: z.boolean() })).default([]) })),
});

/**
 * Creates an Opportunity for a Contact (PRODUCT.md S8) and its OpportunityContactRole, so the
 * contact's open deal is this one. Idempotent by key: the Opportunity is upserted on
 * CrmSync_Id__c (the crm-sync package's external id), and the role is only added when the
 * Opportunity has none for this Contact, so a replay after a timeout makes neither twice.
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  if (deal.contact.object !== 'Contact') {
    return { ok: false, error: new CrmError('invalid', `Salesforce ${deal.contact.object} ${deal.contact.id} is not a Contact: a Lead can have no Opportunity until it is converted.`) };
  }
  const { stage, hasCurrency } = await opportunityFacts(ctx);
  const values: Record<string, unknown> = {
    Name: deal.title,
    StageName: stage,
    CloseDate: deal.closeDate ?? new Date(Date.now() + DEFAULT_CLOSE_DAYS * 86_400_000).toISOString().slice(0, 10),
    [SALESFORCE.externalIdField]: deal.key,
  };
  if (deal.amount !== undefined) values.Amount = deal.amount;
  // CurrencyIsoCode exists only in orgs with several currencies; elsewhere the org's currency applies.
  if (deal.currency && hasCurrency) values.CurrencyIsoCode = deal.currency;
  if (deal.ownerId) values.OwnerId = deal.ownerId;
  if (deal.company?.object === 'Account') values.AccountId = deal.company.id;
  const [written] = await writeCollection(ctx, { kind: 'upsert', object: 'Opportunity', externalIdField: SALESFORCE.externalIdField }, [{ object: 'Opportunity', values }]);
  if (!written || !written.ok) return written ?? { ok: false, error: new CrmError('unavailable', 'Salesforce did not report on this Opportunity; crm-sync will retry.') };

  const roles = await query(ctx, `SELECT Id FROM OpportunityContactRole WHERE OpportunityId = ${literal(written.id)} AND ContactId = ${literal(deal.contact.id)} LIMIT 1`);
  if (!roles.length) {
    const [role] = await writeCollection(ctx, { kind: 'create' }, [{ object: 'OpportunityContactRole', values: { OpportunityId: written.id, ContactId: deal.contact.id, IsPrimary: true } }]);
    if (!role || !role.ok) {
      const error = role?.error ?? new CrmError('unavailable', 'Salesforce did not report on the contact role');
      // The Opportunity exists; the next attempt upserts it again and adds the missing role.
      return { ok: false, error: new CrmError(error.kind, `The Opportunity was written but not linked to the Contact: ${error.message}`, error.details) };
    }
  }
  return { ok: true, ref: { object: 'Opportunity', id: written.id }, created: written.created };
}

/** The first active stage (describe lists the sales process in order) and whether the org has currencies, once per connection. */
async function opportunityFacts(ctx: OutboundContext): Promise<{ stage: string; hasCurrency: boolean }> {
  const cached = ctx.cache.get(DESCRIBE_CACHE) as { stage: string; hasCurrency: boolean } | undefined;
  if (cached) return cached;
  const { fields } = Describe.parse(await callSalesforce(ctx, { url: dataUrl(ctx, '/sobjects/Opportunity/describe') }));
  const stage = fields.find((f) => f.name === 'StageName')?.picklistValues.find((p) => p.active)?.value ?? DEFAULT_STAGE;
  const facts = { stage, hasCurrency: fields.some((f) => f.name === 'CurrencyIsoCode') };
  ctx.cache.set(DESCRIBE_CACHE, facts);
  return facts;
}

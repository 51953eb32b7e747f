import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalDeal, OutboundContext, RecordOutcome } from '../outbound.js';
import { fetchParsed } from './api.js';
import { writeBatch } from './batch.js';
import { ensureUniqueProperty } from './companies.js';
import { CRM_NAME } from './facts.js';
import { readByUniqueProperty } from './reads.js';

/** The unique custom property that holds our deal id: read back before creating, so a replay finds the deal. */
export const DEAL_KEY_PROPERTY = 'crm_sync_deal_id';
/** HUBSPOT_DEFINED association types from a deal: to a contact, and to its primary company. */
const DEAL_TO_CONTACT = 3;
const DEAL_TO_PRIMARY_COMPANY = 5;
const STAGE_CACHE = 'hubspot:dealStage';

const Pipelines = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      displayOrder: z.number().default(0),
      archived: z.boolean().optional(),
      stages: z.array(z.object({ id: z.string(), displayOrder: z.number().default(0), archived: z.boolean().optional(), metadata: z.record(z.string(), z.unknown()).default({}) })),
    }),
  ),
});

/**
 * Creates a deal for a contact (PRODUCT.md S8) in the default pipeline's first open stage,
 * associated with the contact and its company, idempotent by key: the deal an earlier attempt
 * made (perhaps without an answer) is found by `crm_sync_deal_id` and returned instead.
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  if (deal.contact.object !== 'contacts') return { ok: false, error: new CrmError('invalid', `A ${CRM_NAME} deal needs a contact; ${deal.contact.object} ${deal.contact.id} is not one.`) };
  await ensureUniqueProperty(ctx, 'deals', DEAL_KEY_PROPERTY, 'crm-sync deal id', 'dealinformation');
  const prior = (await readByUniqueProperty(ctx, 'deals', DEAL_KEY_PROPERTY, [deal.key])).get(deal.key);
  if (prior) return { ok: true, ref: { object: 'deals', id: prior.id }, created: false };

  const { pipeline, stage } = await firstOpenStage(ctx);
  const properties: Record<string, string> = { dealname: deal.title, pipeline, dealstage: stage, [DEAL_KEY_PROPERTY]: deal.key };
  if (deal.amount !== undefined) properties.amount = String(deal.amount);
  if (deal.currency) properties.deal_currency_code = deal.currency;
  // closedate is a datetime: the day at midnight UTC, as HubSpot stores a date picked in its UI.
  if (deal.closeDate) properties.closedate = `${deal.closeDate}T00:00:00.000Z`;
  if (deal.ownerId) properties.hubspot_owner_id = deal.ownerId;
  const associations = [
    { to: { id: deal.contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_CONTACT }] },
    ...(deal.company?.object === 'companies' ? [{ to: { id: deal.company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_PRIMARY_COMPANY }] }] : []),
  ];
  const [result] = await writeBatch(
    ctx,
    { path: '/crm/v3/objects/deals/batch/create', what: 'deal', keyOf: (o) => o.properties[DEAL_KEY_PROPERTY] ?? undefined },
    [{ key: deal.key, properties, body: { properties, associations, objectWriteTraceId: deal.key } }],
  );
  if (!result) return { ok: false, error: new CrmError('unavailable', `${CRM_NAME} did not report on this deal; crm-sync will retry.`) };
  return result.ok ? { ok: true, ref: { object: 'deals', id: result.object.id }, created: true } : { ok: false, error: result.error };
}

/** The default pipeline (or the first one) and its first stage that is not closed, once per connection. */
async function firstOpenStage(ctx: OutboundContext): Promise<{ pipeline: string; stage: string }> {
  const cached = ctx.cache.get(STAGE_CACHE) as { pipeline: string; stage: string } | undefined;
  if (cached) return cached;
  const answer = await fetchParsed(ctx, { path: '/crm/v3/pipelines/deals' }, Pipelines);
  const live = answer.results.filter((p) => !p.archived).sort((a, b) => a.displayOrder - b.displayOrder);
  const pipeline = live.find((p) => p.id === 'default') ?? live[0];
  const stage = pipeline?.stages
    .filter((s) => !s.archived && String(s.metadata.isClosed) !== 'true')
    .sort((a, b) => a.displayOrder - b.displayOrder)[0];
  if (!pipeline || !stage) throw new CrmError('invalid', `${CRM_NAME} has no deal pipeline with an open stage to create deals in.`);
  const found = { pipeline: pipeline.id, stage: stage.id };
  ctx.cache.set(STAGE_CACHE, found);
  return found;
}

import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CanonicalDeal, OutboundContext, RecordOutcome } from '../outbound.js';
import { coqlString, crmUrl, fetchZoho, ZOHO } from './api.js';
import { moduleFields } from './fields.js';
import { writeRecords } from './writes.js';

/** Days from today to a Deal's Closing_Date when the request gives none (Zoho requires one). */
const DEFAULT_CLOSE_DAYS = 30;
/** The first stage of Zoho's standard pipeline, when the Stage picklist offers none. */
const DEFAULT_STAGE = 'Qualification';
const CLOSED = /^closed/i;
const Found = z.object({ data: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose()) });

/**
 * Creates a Deal for a Contact (PRODUCT.md S8) with Contact_Name (and Account_Name) lookups, in
 * the first open stage. Zoho Deals have no field for crm-sync's key, so a replay looks for the
 * Deal of this Contact with this name (COQL, read directly) and returns it instead of inserting.
 */
export async function createDeal(ctx: OutboundContext, deal: CanonicalDeal): Promise<RecordOutcome> {
  if (deal.contact.object !== 'Contacts') {
    return { ok: false, error: new CrmError('invalid', `${ZOHO.name} Deals belong to Contacts; ${deal.contact.object} ${deal.contact.id} is not one (convert the Lead first).`) };
  }
  const select_query = `select id from Deals where Contact_Name = ${coqlString(deal.contact.id)} and Deal_Name = ${coqlString(deal.title)} limit 1`;
  const prior = await fetchZoho(ctx, { method: 'POST', url: crmUrl(ctx, '/coql'), body: { select_query }, idempotent: true }, Found);
  if (prior?.data[0]) return { ok: true, ref: { object: 'Deals', id: prior.data[0].id }, created: false };

  const stages = (await moduleFields(ctx, 'Deals')).find((f) => f.api_name === 'Stage')?.pick_list_values.map((p) => p.actual_value) ?? [];
  const record: Record<string, unknown> = {
    Deal_Name: deal.title,
    Stage: stages.find((s) => !CLOSED.test(s) && s !== '-None-') ?? DEFAULT_STAGE,
    Closing_Date: deal.closeDate ?? new Date(Date.now() + DEFAULT_CLOSE_DAYS * 86_400_000).toISOString().slice(0, 10),
    Contact_Name: { id: deal.contact.id },
  };
  if (deal.amount !== undefined) record.Amount = deal.amount;
  if (deal.company?.object === 'Accounts') record.Account_Name = { id: deal.company.id };
  if (deal.ownerId) record.Owner = { id: deal.ownerId };
  const [written] = await writeRecords(ctx, 'Deals', { kind: 'insert' }, [record]);
  if (!written) return { ok: false, error: new CrmError('unavailable', `${ZOHO.name} did not report on this Deal; crm-sync will retry.`) };
  return written.ok ? { ok: true, ref: { object: 'Deals', id: written.id }, created: true } : written;
}

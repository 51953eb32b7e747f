import { z } from 'zod';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { coqlString, crmUrl, fetchZoho } from './api.js';

const UsersAnswer = z.object({ users: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), email: z.string().optional(), status: z.string().optional() })) });

/** The active Zoho user with this e-mail (PRODUCT.md S7); found owners are remembered for the connection. */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  const cacheKey = `zoho:owner:${wanted}`;
  const cached = ctx.cache.get(cacheKey);
  if (typeof cached === 'string') return cached;
  const answer = await fetchZoho(ctx, { method: 'POST', url: crmUrl(ctx, '/users/search'), body: { criteria: { field: 'email', comparator: 'equal', value: wanted } }, idempotent: true }, UsersAnswer);
  const user = answer?.users.find((u) => u.email?.toLowerCase() === wanted && (u.status ?? 'active') === 'active');
  if (user) ctx.cache.set(cacheKey, user.id);
  return user?.id;
}

const DealsAnswer = z.object({ data: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose()) });
/** Zoho's standard closed stages; a Deal in any other stage is open. */
const CLOSED_STAGES = ['Closed Won', 'Closed Lost', 'Closed-Lost to Competition'];

/**
 * A Contact's open Deal (PRODUCT.md S8), the most recently changed; Deals link Contacts only,
 * so Leads and custom-module records have none.
 */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'Contacts') return undefined;
  const select_query = `select id from Deals where Contact_Name = ${coqlString(contact.id)} and Stage not in (${CLOSED_STAGES.map(coqlString).join(', ')}) order by Modified_Time desc limit 1`;
  const answer = await fetchZoho(ctx, { method: 'POST', url: crmUrl(ctx, '/coql'), body: { select_query }, idempotent: true }, DealsAnswer);
  const id = answer?.data[0]?.id;
  return id ? { object: 'Deals', id } : undefined;
}

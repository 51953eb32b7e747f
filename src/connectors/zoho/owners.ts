import { z } from 'zod';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { coqlString, crmUrl, fetchZoho, ZOHO } from './api.js';

const UsersAnswer = z.object({
  users: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), email: z.string().optional(), status: z.string().optional() })),
  info: z.object({ more_records: z.boolean().default(false) }).loose().optional(),
});

const USERS_CACHE = 'zoho:activeUsers';
/** A user added in Zoho is seen within this long. */
const USERS_TTL_MS = 10 * 60_000;
/** Pages of 200 users read at most (Zoho orgs have far fewer users). */
const MOST_PAGES = 10;

/**
 * The active Zoho user with this e-mail (PRODUCT.md S7). The org's active users are listed once
 * (a page of 200 holds most orgs) and kept for ten minutes: one call (1 credit) for every e-mail
 * a sync meets, where a user search per e-mail cost one each, found or not.
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  return (await activeUsers(ctx)).get(email.trim().toLowerCase());
}

async function activeUsers(ctx: OutboundContext): Promise<Map<string, string>> {
  const cached = ctx.cache.get(USERS_CACHE) as { at: number; users: Map<string, string> } | undefined;
  if (cached && Date.now() - cached.at < USERS_TTL_MS) return cached.users;
  const users = new Map<string, string>();
  for (let page = 1; page <= MOST_PAGES; page++) {
    const answer = await fetchZoho(ctx, { url: crmUrl(ctx, '/users'), query: { type: 'ActiveUsers', per_page: ZOHO.pageSize, page } }, UsersAnswer);
    for (const u of answer?.users ?? []) {
      const key = u.email?.trim().toLowerCase();
      if (key && (u.status ?? 'active') === 'active' && !users.has(key)) users.set(key, u.id);
    }
    if (!answer?.info?.more_records) break;
  }
  ctx.cache.set(USERS_CACHE, { at: Date.now(), users });
  return users;
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

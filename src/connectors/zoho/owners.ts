import { z } from 'zod';
import { usersByEmail } from '../owner-directory.js';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { coqlString, crmUrl, fetchZoho, ZOHO } from './api.js';

const UsersAnswer = z.object({
  users: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), email: z.string().optional(), status: z.string().optional() })),
  info: z.object({ more_records: z.boolean().default(false) }).loose().optional(),
});

/** Pages of 200 users read at most (Zoho orgs have far fewer users). */
const MOST_PAGES = 10;

/**
 * The active Zoho user with this e-mail (PRODUCT.md S7), from the org's active users listed
 * once (a page of 200 holds most orgs): one call (1 credit) for every e-mail a sync meets,
 * where a user search per e-mail cost one each, found or not.
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const users = await usersByEmail(ctx, 'zoho:activeUsers', async () => {
    const all: { id: string; email?: string }[] = [];
    for (let page = 1; page <= MOST_PAGES; page++) {
      const answer = await fetchZoho(ctx, { url: crmUrl(ctx, '/users'), query: { type: 'ActiveUsers', per_page: ZOHO.pageSize, page } }, UsersAnswer);
      all.push(...(answer?.users ?? []).filter((u) => (u.status ?? 'active') === 'active'));
      if (!answer?.info?.more_records) break;
    }
    return all;
  });
  return users.get(email.trim().toLowerCase());
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

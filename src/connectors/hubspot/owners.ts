import { usersByEmail } from '../owner-directory.js';
import type { OutboundContext } from '../outbound.js';
import { fetchParsed } from './api.js';
import { OwnersAnswer } from './schemas.js';

/** HubSpot's largest owners page. */
const PAGE = 500;

/** The HubSpot owner (user) with this e-mail, from the account's owners listed once (a page of 500 holds most portals). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const owners = await usersByEmail(ctx, 'hubspot:owners', async () => {
    const all: { id: string; email?: string }[] = [];
    let after: string | undefined;
    do {
      const page = await fetchParsed(ctx, { path: '/crm/v3/owners', query: { limit: PAGE, after, archived: 'false' } }, OwnersAnswer);
      all.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return all;
  });
  return owners.get(email.trim().toLowerCase());
}

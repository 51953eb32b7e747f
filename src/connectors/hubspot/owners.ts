import type { OutboundContext } from '../outbound.js';
import { fetchParsed } from './api.js';
import { OwnersAnswer } from './schemas.js';

const CACHE_KEY = 'hubspot:owners';
/** A new HubSpot user is seen within this long. */
const OWNERS_TTL_MS = 10 * 60_000;
/** HubSpot's largest owners page. */
const PAGE = 500;

/**
 * The HubSpot owner (user) with this e-mail. The account's owners are listed once (a page of
 * 500 holds most portals) and kept for ten minutes: one call for every e-mail a sync meets,
 * instead of one per e-mail.
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  return (await ownersByEmail(ctx)).get(email.trim().toLowerCase());
}

async function ownersByEmail(ctx: OutboundContext): Promise<Map<string, string>> {
  const cached = ctx.cache.get(CACHE_KEY) as { at: number; owners: Map<string, string> } | undefined;
  if (cached && Date.now() - cached.at < OWNERS_TTL_MS) return cached.owners;
  const owners = new Map<string, string>();
  let after: string | undefined;
  do {
    const page = await fetchParsed(ctx, { path: '/crm/v3/owners', query: { limit: PAGE, after, archived: 'false' } }, OwnersAnswer);
    for (const o of page.results) if (o.email && !owners.has(o.email.toLowerCase())) owners.set(o.email.toLowerCase(), o.id);
    after = page.paging?.next?.after;
  } while (after);
  ctx.cache.set(CACHE_KEY, { at: Date.now(), owners });
  return owners;
}

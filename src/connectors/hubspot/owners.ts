import type { OutboundContext } from '../outbound.js';
import { fetchParsed } from './api.js';
import { OwnersAnswer } from './schemas.js';

/** The HubSpot owner (user) with this e-mail; found owners are remembered for the connection. */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  const cacheKey = `hubspot:owner:${wanted}`;
  const cached = ctx.cache.get(cacheKey);
  if (typeof cached === 'string') return cached;
  const answer = await fetchParsed(ctx, { path: '/crm/v3/owners', query: { email: wanted, limit: 1 } }, OwnersAnswer);
  const owner = answer.results.find((o) => !o.email || o.email.toLowerCase() === wanted);
  if (owner) ctx.cache.set(cacheKey, owner.id);
  return owner?.id;
}

import type { OutboundContext } from '../outbound.js';
import { callPipedrive, mayHaveCommitted, searchIds, v2 } from './api.js';
import { aboutToCreate, createdByUncertainAttempt, settled } from './recent.js';
import { Created, OrganizationV2 } from './schemas.js';

const CACHE = (name: string) => `pipedrive:organization:${name.toLowerCase()}`;
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The organization of a client's company, by exact name (case-insensitive), created when
 * Pipedrive has none. Ids are kept for the connection's lifetime, so a company shared by many
 * clients is searched once and a just-created one is not created again while search lags.
 */
export async function organizationFor(ctx: OutboundContext, company: string): Promise<number> {
  const name = company.trim();
  const cached = ctx.cache.get(CACHE(name)) as number | undefined;
  if (cached !== undefined) return cached;
  let id = (await createdByUncertainAttempt(ctx, 'organizations', name.toLowerCase(), OrganizationV2, (o) => same(o.name, name)))?.id;
  if (id === undefined) {
    const found = await searchIds(ctx, 'organizations', name, 'name');
    id = found[0];
  }
  if (id === undefined) {
    await aboutToCreate(ctx, 'organizations', name.toLowerCase());
    try {
      id = (await callPipedrive(ctx, { method: 'POST', url: v2(ctx, '/organizations'), body: { name } }, Created)).data.id;
    } catch (err) {
      // A timeout or 5xx leaves the note for whichever worker retries; a refusal saved nothing.
      if (!mayHaveCommitted(err)) await settled(ctx, 'organizations', name.toLowerCase());
      throw err;
    }
    await settled(ctx, 'organizations', name.toLowerCase());
  }
  ctx.cache.set(CACHE(name), id);
  return id;
}

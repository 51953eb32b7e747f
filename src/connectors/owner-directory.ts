import type { OutboundContext } from './outbound.js';

/** A new CRM user is seen within this long. */
const TTL_MS = 10 * 60_000;

/**
 * The CRM's users by e-mail (lower-cased; the first listed wins), listed once and kept in the
 * connection's cache for ten minutes: one listing answers every e-mail a sync meets, instead
 * of one lookup call per e-mail. For CRMs whose user list is cheap to read whole.
 */
export async function usersByEmail(ctx: OutboundContext, cacheKey: string, list: () => Promise<{ id: string; email?: string }[]>): Promise<Map<string, string>> {
  const cached = ctx.cache.get(cacheKey) as { at: number; users: Map<string, string> } | undefined;
  if (cached && Date.now() - cached.at < TTL_MS) return cached.users;
  const users = new Map<string, string>();
  for (const u of await list()) {
    const email = u.email?.trim().toLowerCase();
    if (email && !users.has(email)) users.set(email, u.id);
  }
  ctx.cache.set(cacheKey, { at: Date.now(), users });
  return users;
}

import type { OutboundContext } from '../outbound.js';
import { listAll } from './api.js';
import { User } from './schemas.js';

const CACHE = 'autochat:users';

/** The AutoChat user with this e-mail; the user list is read once per connection (accounts have few users). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  let users = ctx.cache.get(CACHE) as { id: string; email: string }[] | undefined;
  if (!users) {
    users = await listAll(ctx, '/users', User);
    ctx.cache.set(CACHE, users);
  }
  const wanted = email.trim().toLowerCase();
  return users.find((u) => u.email.toLowerCase() === wanted)?.id;
}

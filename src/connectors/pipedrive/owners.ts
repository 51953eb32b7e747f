import { z } from 'zod';
import { usersByEmail } from '../owner-directory.js';
import type { OutboundContext } from '../outbound.js';
import { callPipedrive, v1 } from './api.js';
import { User } from './schemas.js';

/**
 * The active Pipedrive user with this e-mail, from the company's users listed once (`GET /users`
 * returns them all): one call for every e-mail a sync meets instead of a `/users/find` each.
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return undefined;
  const users = await usersByEmail(ctx, 'pipedrive:users', async () => {
    const { data } = await callPipedrive(ctx, { url: v1(ctx, '/users') }, z.array(User).nullish());
    return (data ?? []).filter((u) => u.active_flag !== false).map((u) => ({ id: String(u.id), email: u.email }));
  });
  return users.get(wanted);
}

import type { OutboundContext } from '../outbound.js';
import { callPipedrive, v1 } from './api.js';

/** The Pipedrive user with this e-mail (compared case-insensitively: /users/find matches substrings). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return undefined;
  const { data } = await callPipedrive<{ id: number; email: string }[] | null>(ctx, { url: v1(ctx, '/users/find'), query: { term: wanted, search_by_email: 1 } });
  const user = (data ?? []).find((u) => u.email.toLowerCase() === wanted);
  return user ? String(user.id) : undefined;
}

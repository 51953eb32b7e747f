import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { callAutoChat } from './api.js';
import { CLIENT } from './clients.js';

/** AutoChat refuses a phone filter that is not E.164. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Finds each client's AutoChat client: by e-mail first (the filter compares case-insensitively),
 * then by phone in E.164. The list filters read the database directly (no search index, no lag);
 * one term per call. Clients come in creation order, so of two with one e-mail the oldest wins.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const seen = new Map<string, string | undefined>();
  const lookup = async (filter: 'email' | 'phone', value: string) => {
    const key = `${filter}:${value}`;
    if (!seen.has(key)) {
      const page = await callAutoChat<{ data: { id: string }[] }>(ctx, { url: `${ctx.apiBase}/clients`, query: { [filter]: value, limit: 1 } });
      seen.set(key, page.data[0]?.id);
    }
    return seen.get(key);
  };
  const passes = [
    { filter: 'email' as const, values: (c: CanonicalContact) => c.emails.map((e) => e.trim().toLowerCase()).filter(Boolean) },
    { filter: 'phone' as const, values: (c: CanonicalContact) => c.phones.filter((p) => E164.test(p)) },
  ];
  for (const pass of passes) {
    for (const c of contacts) {
      if (found.has(c.clientId)) continue;
      for (const value of pass.values(c)) {
        const id = await lookup(pass.filter, value);
        if (id) {
          found.set(c.clientId, { object: CLIENT, id });
          break;
        }
      }
    }
  }
  return found;
}

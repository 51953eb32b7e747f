import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { searchIds } from './api.js';
import { PERSON } from './persons.js';

/**
 * Finds the person of each client: by e-mail first (Pipedrive's exact search compares
 * case-insensitively), then, for those still unmatched, by phone in E.164 (exact search on
 * phones compares digits, so "+34 600..." and "0034600..." stored by hand match too). Pipedrive
 * searches one term per call; the rate budget paces them. Of several hits the best-scored,
 * then oldest, is taken, so every run picks the same person.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const byTerm = new Map<string, number | undefined>();
  const lookup = async (term: string, field: 'email' | 'phone') => {
    const key = `${field}:${term.toLowerCase()}`;
    if (!byTerm.has(key)) byTerm.set(key, (await searchIds(ctx, 'persons', term, field))[0]);
    return byTerm.get(key);
  };
  for (const pass of [{ field: 'email', terms: (c: CanonicalContact) => c.emails }, { field: 'phone', terms: (c: CanonicalContact) => c.phones }] as const) {
    for (const c of contacts) {
      if (found.has(c.clientId)) continue;
      for (const term of pass.terms(c).map((t) => t.trim()).filter(Boolean)) {
        const id = await lookup(term, pass.field);
        if (id !== undefined) {
          found.set(c.clientId, { object: PERSON, id: String(id) });
          break;
        }
      }
    }
  }
  return found;
}

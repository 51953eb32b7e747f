import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { anyOf, chunks, DYNAMICS, literal, query } from './api.js';

type Row = { contactid: string; emailaddress1: string | null; telephone1: string | null; mobilephone: string | null } & Record<string, unknown>;

const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');
/** Phones as typed ("+34 600 11 12 22") compared by their digits and plus. */
const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/[^\d+]/g, '') : '');
/** Clients per query: each brings its key, e-mails or phones, and the URL must stay short. */
const PER_QUERY = 20;

/**
 * Finds each client's active contact: by our key (cs_crmsyncid) or e-mail (Dataverse compares
 * strings without case) first, then by phone in E.164 on telephone1 or mobilephone for the
 * clients still unmatched, a few `or`-ed comparisons per query. The oldest contact wins, so
 * every run picks the same one. Dataverse reads are consistent: there is no index to lag.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const search = (filter: string) =>
    query<Row>(ctx, 'contacts', { $select: `contactid,emailaddress1,telephone1,mobilephone,${DYNAMICS.keyColumn}`, $filter: `statecode eq 0 and ${filter}`, $orderby: 'createdon asc' });
  for (const chunk of chunks(contacts, PER_QUERY)) {
    const emails = [...new Set(chunk.flatMap((c) => c.emails.map(norm)).filter(Boolean))];
    const rows = await search(anyOf([...chunk.map((c) => c.clientId).map((id) => ['k', id]), ...emails.map((e) => ['e', e])].map((p) => p.join('\0')), (p) => {
      const [kind, value] = p.split('\0') as [string, string];
      return `${kind === 'k' ? DYNAMICS.keyColumn : 'emailaddress1'} eq ${literal(value)}`;
    }));
    for (const c of chunk) {
      const hit = rows.find((r) => r[DYNAMICS.keyColumn] === c.clientId) ?? c.emails.map(norm).map((e) => rows.find((r) => norm(r.emailaddress1) === e)).find(Boolean);
      if (hit) found.set(c.clientId, { object: 'contacts', id: hit.contactid });
    }
  }
  const rest = contacts.filter((c) => !found.has(c.clientId) && c.phones.length > 0);
  for (const chunk of chunks(rest, PER_QUERY)) {
    const phones = [...new Set(chunk.flatMap((c) => c.phones))];
    const rows = await search(anyOf(phones, (p) => `telephone1 eq ${literal(p)} or mobilephone eq ${literal(p)}`));
    for (const c of chunk) {
      const hit = c.phones.map((p) => rows.find((r) => digits(r.telephone1) === p || digits(r.mobilephone) === p)).find(Boolean);
      if (hit) found.set(c.clientId, { object: 'contacts', id: hit.contactid });
    }
  }
  return found;
}

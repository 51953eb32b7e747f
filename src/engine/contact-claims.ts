import type { CanonicalContact, CrmRef } from '../connectors/outbound.js';
import { findClientsLinkedTo } from '../store/link-claims.js';
import type { Db } from '../store/store.js';

/** One client's e-mails, to tell whether two clients may be the same person. */
interface Claimant {
  clientId: string;
  emails: string[];
}

const recordKey = (ref: CrmRef) => `${ref.object}\u0000${ref.id}`;

/**
 * Drops matches that would make one CRM record stand for two clients that are not the same
 * person. An e-mail is a person's own; a phone is often shared (a family, a switchboard, a
 * shop), so a record another client already owns (linked on this connection, or matched
 * earlier in the same pass) is taken by a client only when the two share an e-mail. A
 * dropped match leaves the client unmatched: it gets a record of its own where the write
 * policy allows creating. Returns the matches to keep.
 */
export async function withoutTakeovers(
  db: Db,
  key: { workspaceId: string; connectionId: string },
  contacts: CanonicalContact[],
  matches: Map<string, CrmRef>,
): Promise<Map<string, CrmRef>> {
  if (matches.size === 0) return matches;
  const claimants = new Map<string, Claimant[]>();
  for (const linked of await findClientsLinkedTo(db, key.workspaceId, key.connectionId, [...matches.values()].map((r) => r.id))) {
    const k = recordKey({ object: linked.crmObject, id: linked.crmId });
    claimants.set(k, [...(claimants.get(k) ?? []), linked]);
  }
  const kept = new Map<string, CrmRef>();
  for (const contact of contacts) {
    const ref = matches.get(contact.clientId);
    if (!ref) continue;
    const k = recordKey(ref);
    const others = (claimants.get(k) ?? []).filter((c) => c.clientId !== contact.clientId);
    if (others.some((other) => !sharesAnEmail(other, contact))) continue;
    kept.set(contact.clientId, ref);
    claimants.set(k, [...(claimants.get(k) ?? []), { clientId: contact.clientId, emails: contact.emails }]);
  }
  return kept;
}

function sharesAnEmail(a: Claimant, b: Claimant): boolean {
  const mine = new Set(a.emails.map((e) => e.toLowerCase()));
  return b.emails.some((e) => mine.has(e.toLowerCase()));
}

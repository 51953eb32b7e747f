import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { AUTOCHAT, fetchAutoChat } from './api.js';
import { CLIENT } from './clients.js';
import { Lookup } from './schemas.js';

/** AutoChat refuses a phone term that is not E.164. */
const E164 = /^\+[1-9]\d{6,14}$/;

const emailsOf = (c: CanonicalContact) => c.emails.map((e) => e.trim().toLowerCase()).filter(Boolean);
const phonesOf = (c: CanonicalContact) => c.phones.filter((p) => E164.test(p));

/**
 * Finds each client's AutoChat client: by e-mail first (compared lower-cased), then by phone in
 * E.164. POST /clients/lookup answers up to 500 e-mails and 500 phones in one call with the
 * oldest client holding each term, so the engine's pass of up to 500 clients is one call; it reads the database
 * directly (no search index, no lag). A read, so the http layer may retry it.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const emails = [...new Set(contacts.flatMap(emailsOf))];
  const phones = [...new Set(contacts.flatMap(phonesOf))];
  const byEmail = new Map<string, string>();
  const byPhone = new Map<string, string>();
  for (let i = 0; i < Math.max(emails.length, phones.length); i += AUTOCHAT.lookupMax) {
    const body: Record<string, string[]> = {};
    if (emails.length > i) body.emails = emails.slice(i, i + AUTOCHAT.lookupMax);
    if (phones.length > i) body.phones = phones.slice(i, i + AUTOCHAT.lookupMax);
    const found = await fetchAutoChat(ctx, { method: 'POST', url: `${ctx.apiBase}/clients/lookup`, body, idempotent: true }, Lookup, 'POST /clients/lookup');
    for (const m of found.emails) if (m.client) byEmail.set(m.email, m.client.id);
    for (const m of found.phones) if (m.client) byPhone.set(m.phone, m.client.id);
  }
  const matches = new Map<string, CrmRef>();
  for (const c of contacts) {
    const id = emailsOf(c).map((e) => byEmail.get(e)).find(Boolean) ?? phonesOf(c).map((p) => byPhone.get(p)).find(Boolean);
    if (id) matches.set(c.clientId, { object: CLIENT, id });
  }
  return matches;
}

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normalizePhone } from '../../domain/contact-points.js';
import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { chunk, fetchParsed } from './api.js';
import { CLIENT_ID_PROPERTY, SEARCH } from './facts.js';
import { ensureSyncKeyProperty } from './properties.js';
import { readByUniqueProperty } from './reads.js';
import { SearchAnswer, type HubSpotObject } from './schemas.js';

const PHONE_PROPERTIES = ['phone', 'mobilephone'] as const;
const ref = (id: string): CrmRef => ({ object: 'contacts', id });

/**
 * Finds HubSpot contacts for these clients: by e-mail first (case does not matter), then by
 * phone in E.164 in `phone` or `mobilephone`, then the record crm-sync wrote for the client
 * (`crm_sync_client_id`, read directly so a record written a moment ago is not missed).
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const matched = new Map<string, CrmRef>();
  if (contacts.length === 0) return matched;
  await ensureSyncKeyProperty(ctx, 'contacts');
  const open = () => contacts.filter((c) => !matched.has(c.clientId));

  const byEmail = await searchByEmail(ctx, [...new Set(contacts.flatMap((c) => c.emails.map((e) => e.trim().toLowerCase())))]);
  for (const c of contacts) {
    const id = c.emails.map((e) => byEmail.get(e.trim().toLowerCase())).find(Boolean);
    if (id) matched.set(c.clientId, ref(id));
  }

  const phones = [...new Set(open().flatMap((c) => c.phones))];
  const byPhone = await searchByPhone(ctx, phones);
  for (const c of open()) {
    const id = c.phones.map((p) => byPhone.get(p)).find(Boolean);
    if (id) matched.set(c.clientId, ref(id));
  }

  const written = await readByUniqueProperty(ctx, 'contacts', CLIENT_ID_PROPERTY, open().map((c) => c.clientId));
  for (const c of open()) {
    const record = written.get(c.clientId);
    if (record) matched.set(c.clientId, ref(record.id));
  }
  return matched;
}

/** e-mail (lower-cased) -> contact id. */
async function searchByEmail(ctx: OutboundContext, emails: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunk(emails, SEARCH.inValues)) {
    const records = await search(ctx, [{ filters: [{ propertyName: 'email', operator: 'IN', values: part }] }]);
    for (const r of records) {
      const email = r.properties.email?.toLowerCase();
      if (email && !found.has(email)) found.set(email, r.id);
    }
  }
  return found;
}

/**
 * E.164 -> contact id. HubSpot keeps phones as they were typed, so each number is searched in
 * E.164 and in international format ("+34 600 11 22 33"), and what comes back is read again
 * in E.164 before it counts as a match. The oldest contact wins when several share a number.
 */
async function searchByPhone(ctx: OutboundContext, phones: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const perSearch = Math.floor(SEARCH.inValues / 2);
  for (const part of chunk(phones, perSearch)) {
    const values = [...new Set(part.flatMap(spellings))];
    const groups = PHONE_PROPERTIES.map((propertyName) => ({ filters: [{ propertyName, operator: 'IN', values }] }));
    const records = await search(ctx, groups);
    for (const r of records.sort((a, b) => Number(a.id) - Number(b.id))) {
      for (const name of PHONE_PROPERTIES) {
        const typed = r.properties[name];
        if (!typed) continue;
        const e164 = part.find((p) => normalizePhone(typed, countryOf(p)) === p);
        if (e164 && !found.has(e164)) found.set(e164, r.id);
      }
    }
  }
  return found;
}

function spellings(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? [e164, parsed.formatInternational()] : [e164];
}

function countryOf(e164: string): string {
  return parsePhoneNumberFromString(e164)?.country ?? 'US';
}

/** Every page of a search (HubSpot pages by offset, up to 10,000 results). */
async function search(ctx: OutboundContext, filterGroups: unknown[]): Promise<HubSpotObject[]> {
  const out: HubSpotObject[] = [];
  let after: string | undefined;
  do {
    const page = await fetchParsed(
      ctx,
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts/search',
        body: { filterGroups, properties: ['email', ...PHONE_PROPERTIES, CLIENT_ID_PROPERTY], limit: SEARCH.pageSize, sorts: [], ...(after ? { after } : {}) },
      },
      SearchAnswer,
    );
    out.push(...page.results);
    after = page.paging?.next?.after;
  } while (after && out.length < SEARCH.maxResults);
  return out;
}

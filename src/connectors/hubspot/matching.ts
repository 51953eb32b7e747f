import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normalizePhone } from '../../domain/contact-points.js';
import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { phoneMatchFits } from '../phone-match.js';
import { chunk, fetchParsed } from './api.js';
import { CLIENT_ID_PROPERTY, SEARCH } from './facts.js';
import { ensureSyncKeyProperty } from './properties.js';
import { readByUniqueProperty } from './reads.js';
import { SearchAnswer, type HubSpotObject } from './schemas.js';

const PHONE_PROPERTIES = ['phone', 'mobilephone'] as const;
const ref = (id: string): CrmRef => ({ object: 'contacts', id });

/**
 * Finds HubSpot contacts for these clients: by e-mail first (case does not matter), then by
 * phone in E.164 in `phone` or `mobilephone` (a contact without an e-mail or with one of the
 * client's; see phoneMatch), then the record crm-sync wrote for the client
 * (`crm_sync_client_id`, read directly so a record written a moment ago is not missed; only
 * for clients an earlier attempt may have written, or that have no e-mail or phone to search).
 * E-mails and phones go in one search of five filter groups (HubSpot's most) per chunk, since
 * searches have a limit of their own (5/s).
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const matched = new Map<string, CrmRef>();
  if (contacts.length === 0) return matched;
  await ensureSyncKeyProperty(ctx, 'contacts');
  const open = () => contacts.filter((c) => !matched.has(c.clientId));

  for (const part of searchChunks(contacts)) {
    const emails = [...new Set(part.flatMap((c) => c.emails.map(normalEmail)))];
    const phones = [...new Set(part.flatMap((c) => c.phones))];
    const records = await searchContacts(ctx, emails, phones);
    const byEmail = new Map<string, string>();
    const byPhone = new Map<string, { id: string; email: string | undefined }[]>();
    // The oldest contact wins when several share an e-mail or a number.
    for (const r of records.sort((a, b) => Number(a.id) - Number(b.id))) {
      const email = r.properties.email?.toLowerCase() || undefined;
      if (email && !byEmail.has(email)) byEmail.set(email, r.id);
      for (const name of PHONE_PROPERTIES) {
        const typed = r.properties[name];
        if (!typed) continue;
        const e164 = phones.find((p) => normalizePhone(typed, countryOf(p)) === p);
        if (e164) byPhone.set(e164, [...(byPhone.get(e164) ?? []), { id: r.id, email }]);
      }
    }
    for (const c of part) {
      const id = c.emails.map((e) => byEmail.get(normalEmail(e))).find(Boolean) ?? phoneMatch(c, byPhone);
      if (id) matched.set(c.clientId, ref(id));
    }
  }

  const unsure = open().filter((c) => c.maybeWritten !== false || (c.emails.length === 0 && c.phones.length === 0));
  const written = await readByUniqueProperty(ctx, 'contacts', CLIENT_ID_PROPERTY, unsure.map((c) => c.clientId));
  for (const c of open()) {
    const record = written.get(c.clientId);
    if (record) matched.set(c.clientId, ref(record.id));
  }
  return matched;
}

const normalEmail = (e: string) => e.trim().toLowerCase();

/** The oldest contact with one of the client's phones that may be the client's (phoneMatchFits). */
function phoneMatch(c: CanonicalContact, byPhone: Map<string, { id: string; email: string | undefined }[]>): string | undefined {
  for (const phone of c.phones) {
    const found = byPhone.get(phone)?.find((r) => phoneMatchFits(c.emails, [r.email]));
    if (found) return found.id;
  }
  return undefined;
}

/**
 * Consecutive clients whose e-mails fit one `IN` filter and whose phones, in both spellings,
 * fit two `IN` filters per phone property (so 1 + 2 x 2 = 5 filter groups).
 */
function searchChunks(contacts: CanonicalContact[]): CanonicalContact[][] {
  const chunks: CanonicalContact[][] = [];
  let current: CanonicalContact[] = [];
  let emails = 0;
  let spelled = 0;
  for (const c of contacts.filter((x) => x.emails.length || x.phones.length)) {
    const e = c.emails.length;
    const p = c.phones.flatMap(spellings).length;
    if (current.length && (emails + e > SEARCH.inValues || spelled + p > 2 * SEARCH.inValues)) {
      chunks.push(current);
      current = [];
      emails = spelled = 0;
    }
    current.push(c);
    emails += e;
    spelled += p;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * HubSpot keeps phones as they were typed, so each number is searched in E.164 and in
 * international format ("+34 600 11 22 33"); what comes back is read again in E.164 before
 * it counts as a match.
 */
async function searchContacts(ctx: OutboundContext, emails: string[], phones: string[]): Promise<HubSpotObject[]> {
  const groups: unknown[] = [];
  if (emails.length) groups.push({ filters: [{ propertyName: 'email', operator: 'IN', values: emails }] });
  for (const values of chunk([...new Set(phones.flatMap(spellings))], SEARCH.inValues)) {
    for (const propertyName of PHONE_PROPERTIES) groups.push({ filters: [{ propertyName, operator: 'IN', values }] });
  }
  return groups.length ? search(ctx, groups) : [];
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

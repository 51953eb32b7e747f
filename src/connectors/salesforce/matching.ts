import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { phoneMatchFits } from '../phone-match.js';
import { SALESFORCE } from './api.js';
import type { PersonObject } from './person-fields.js';
import { chunkForQuery, inList, queryMany, type SoqlRecord } from './soql.js';

/** A Contact is the person once a Lead is converted, so it wins over a Lead with the same e-mail. */
const OBJECTS: PersonObject[] = ['Contact', 'Lead'];
const FIELDS = `Id, Email, Phone, MobilePhone, ${SALESFORCE.externalIdField}`;
/** Converted Leads stay queryable but are no longer the record to write to. */
const LIVE: Record<PersonObject, string> = { Contact: '', Lead: 'IsConverted = false AND ' };

const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');

/**
 * Finds the Contact or Lead of each client: our client id (CrmSync_Id__c, set on the Leads we
 * create) or an e-mail (case-insensitive) first, on Contacts then Leads; then a phone in E.164
 * on Phone or MobilePhone, on Contacts then Leads, of a record with no e-mail or one of the
 * client's (phoneMatchFits). Each query is short enough for one GET, and
 * all of them go 25 to a Composite call; the priority is applied to what they return. SOQL
 * reads the database directly, so there is no search index to lag.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const plans = [emailPass, phonePass].flatMap((pass) =>
    OBJECTS.flatMap((object) =>
      chunkForQuery(pass === phonePass ? contacts.filter((c) => c.phones.length > 0) : contacts, pass.literals).map((chunk) => ({
        object,
        pass,
        chunk,
        // Oldest first, so that of two records with one e-mail every run picks the same.
        soql: `SELECT ${FIELDS} FROM ${object} WHERE ${LIVE[object]}${pass.where(chunk)} ORDER BY CreatedDate ASC`,
      })),
    ),
  );
  const results = await queryMany(ctx, plans.map((p) => p.soql));
  // In the order of priority: e-mail on Contacts, on Leads, then phone on Contacts, on Leads.
  plans.forEach(({ object, pass, chunk }, i) => {
    for (const c of chunk) {
      if (found.has(c.clientId)) continue;
      const hit = pass.pick(c, results[i] ?? []);
      if (hit?.Id) found.set(c.clientId, { object, id: hit.Id });
    }
  });
  return found;
}

interface Pass {
  literals(c: CanonicalContact): string[];
  where(chunk: CanonicalContact[]): string;
  /** The record this contact matches among those the query returned, by the contact's own priority. */
  pick(c: CanonicalContact, records: SoqlRecord[]): SoqlRecord | undefined;
}

const emailsOf = (c: CanonicalContact) => c.emails.map(norm).filter(Boolean);

const emailPass: Pass = {
  literals: (c) => [c.clientId, ...emailsOf(c)],
  where(chunk) {
    const ids = chunk.map((c) => c.clientId);
    const emails = [...new Set(chunk.flatMap(emailsOf))];
    const byId = `${SALESFORCE.externalIdField} IN ${inList(ids)}`;
    return emails.length > 0 ? `(Email IN ${inList(emails)} OR ${byId})` : byId;
  },
  pick(c, records) {
    const mine = records.find((r) => norm(r[SALESFORCE.externalIdField]) === norm(c.clientId));
    if (mine) return mine;
    for (const email of emailsOf(c)) {
      const hit = records.find((r) => norm(r.Email) === email);
      if (hit) return hit;
    }
    return undefined;
  },
};

const phonePass: Pass = {
  // Each phone appears twice in the query (Phone and MobilePhone).
  literals: (c) => [...c.phones, ...c.phones],
  where(chunk) {
    const list = inList([...new Set(chunk.flatMap((c) => c.phones))]);
    return `(Phone IN ${list} OR MobilePhone IN ${list})`;
  },
  pick(c, records) {
    for (const phone of c.phones) {
      const hit = records.find((r) => (r.Phone === phone || r.MobilePhone === phone) && phoneMatchFits(c.emails, [r.Email]));
      if (hit) return hit;
    }
    return undefined;
  },
};

import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { SALESFORCE } from './api.js';
import type { PersonObject } from './person-fields.js';
import { chunkForQuery, inList, query, type SoqlRecord } from './soql.js';

/** A Contact is the person once a Lead is converted, so it wins over a Lead with the same e-mail. */
const OBJECTS: PersonObject[] = ['Contact', 'Lead'];
const FIELDS = `Id, Email, Phone, MobilePhone, ${SALESFORCE.externalIdField}`;
/** Converted Leads stay queryable but are no longer the record to write to. */
const LIVE: Record<PersonObject, string> = { Contact: '', Lead: 'IsConverted = false AND ' };

const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');

/**
 * Finds the Contact or Lead of each client: our client id (CrmSync_Id__c, set on the Leads we
 * create) or an e-mail (case-insensitive) first, on Contacts then Leads; then, for the clients
 * still unmatched, a phone in E.164 on Phone or MobilePhone. Queries are batched, each short
 * enough for one GET. SOQL reads the database directly, so there is no search index to lag.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const pending = () => contacts.filter((c) => !found.has(c.clientId));
  for (const object of OBJECTS) await matchBy(ctx, object, pending(), emailPass, found);
  for (const object of OBJECTS) await matchBy(ctx, object, pending().filter((c) => c.phones.length > 0), phonePass, found);
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
      const hit = records.find((r) => r.Phone === phone || r.MobilePhone === phone);
      if (hit) return hit;
    }
    return undefined;
  },
};

async function matchBy(ctx: OutboundContext, object: PersonObject, contacts: CanonicalContact[], pass: Pass, found: Map<string, CrmRef>): Promise<void> {
  for (const chunk of chunkForQuery(contacts, pass.literals)) {
    // Oldest first, so that of two records with one e-mail every run picks the same.
    const records = await query(ctx, `SELECT ${FIELDS} FROM ${object} WHERE ${LIVE[object]}${pass.where(chunk)} ORDER BY CreatedDate ASC`);
    for (const c of chunk) {
      const hit = pass.pick(c, records);
      if (hit?.Id) found.set(c.clientId, { object, id: hit.Id });
    }
  }
}

import type { CanonicalContact } from '../outbound.js';

/** The two Salesforce objects a client can be: a Lead until someone converts it to a Contact. */
export type PersonObject = 'Lead' | 'Contact';

/** Salesforce refuses a Lead without Company; this says plainly that we did not know it. */
export const UNKNOWN_COMPANY = '[not provided]';

type Values = Record<string, string | number | boolean>;

/** Lead keeps its address in Street, City...; Contact in MailingStreet, MailingCity... */
const ADDRESS_PREFIX: Record<PersonObject, string> = { Lead: '', Contact: 'Mailing' };

/**
 * The fields of a Lead or Contact for an update: only what we know (the merge rule), so a
 * value the CRM has and we lack is kept. The first e-mail and phone are the primary ones; a
 * second phone goes to MobilePhone. Contacts have no Company field: their company is AccountId.
 */
export function personUpdate(c: CanonicalContact, object: PersonObject): Values {
  const v: Values = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') v[name] = value;
  };
  set('FirstName', c.firstName);
  set('LastName', c.lastName);
  set('Email', c.emails[0]);
  set('Phone', c.phones[0]);
  set('MobilePhone', c.phones[1]);
  if (object === 'Lead') set('Company', c.company);
  const p = ADDRESS_PREFIX[object];
  set(`${p}Street`, c.address?.street);
  set(`${p}City`, c.address?.city);
  set(`${p}State`, c.address?.state);
  set(`${p}PostalCode`, c.address?.zip);
  set(`${p}Country`, c.address?.country);
  set('OwnerId', c.ownerId);
  // A Contact belongs to its Account; a Lead cannot (it keeps the Company text until converted).
  if (object === 'Contact' && c.companyRef?.object === 'Account') set('AccountId', c.companyRef.id);
  set('LeadSource', c.leadSource);
  // Mapped fields last: an explicit mapping to a standard field is the admin's choice.
  return { ...v, ...c.properties };
}

/**
 * A new Lead: Salesforce requires LastName and Company, so the insert never fails for lack of
 * them. A single known name goes to LastName alone (not "Ana New contact"); with no name at
 * all the record is called by the fallback name (PRODUCT.md S6).
 */
export function newLead(c: CanonicalContact): Values {
  const v = personUpdate(c, 'Lead');
  if (v.LastName === undefined) {
    delete v.FirstName;
    v.LastName = c.firstName || c.fallbackName;
  }
  if (v.Company === undefined) v.Company = UNKNOWN_COMPANY;
  return v;
}

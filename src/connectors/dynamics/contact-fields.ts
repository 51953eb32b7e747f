import type { CanonicalContact } from '../outbound.js';
import type { PersonSet } from './people.js';

export type Values = Record<string, string | number | boolean>;

/** A lead's Company Name when we do not know it: said plainly rather than left blank. */
export const UNKNOWN_COMPANY = '[not provided]';
/** The lead's Topic (subject) holds at most 300 characters. */
const TOPIC_MAX = 300;

/**
 * A contact's or lead's columns from what we know, and only that (the merge rule): the e-mails
 * fill emailaddress1..3, the first phone is the business phone and a second the mobile. A
 * contact's company is its account (parentcustomerid); a lead's is the text companyname, and
 * its Existing Account (parentaccountid) when the company was synced as an account.
 * Mapped fields come last: an explicit mapping to a standard column is the admin's choice.
 */
export function personValues(c: CanonicalContact, set: PersonSet, accountId?: string): Values {
  const v: Values = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') v[name] = value;
  };
  put('firstname', c.firstName);
  put('lastname', c.lastName);
  put('emailaddress1', c.emails[0]);
  put('emailaddress2', c.emails[1]);
  put('emailaddress3', c.emails[2]);
  put('telephone1', c.phones[0]);
  put('mobilephone', c.phones[1]);
  put('address1_line1', c.address?.street);
  put('address1_city', c.address?.city);
  // No state column: the form's State/Province is not in every environment's schema.
  put('address1_postalcode', c.address?.zip);
  put('address1_country', c.address?.country);
  if (c.ownerId) v['ownerid@odata.bind'] = `/systemusers(${c.ownerId})`;
  if (set === 'leads') put('companyname', c.company?.trim());
  if (accountId) v[set === 'leads' ? 'parentaccountid@odata.bind' : 'parentcustomerid_account@odata.bind'] = `/accounts(${accountId})`;
  return { ...v, ...c.properties };
}

/**
 * A new contact or lead: Dataverse shows people by full name, so one without a last name gets
 * the known first name as last name, or the fallback name when nothing is known (PRODUCT.md
 * S6). A lead also gets a topic (its required `subject`) and a company name even when unknown,
 * as the lead form expects both; an update never touches the topic someone may have edited.
 */
export function newPerson(c: CanonicalContact, set: PersonSet, accountId?: string): Values {
  const v = personValues(c, set, accountId);
  if (v.lastname === undefined) {
    delete v.firstname;
    v.lastname = c.firstName || c.fallbackName;
  }
  if (set === 'leads') {
    if (v.companyname === undefined) v.companyname = UNKNOWN_COMPANY;
    if (v.subject === undefined) v.subject = topicOf(c, String(v.firstname ?? ''), String(v.lastname));
  }
  return v;
}

/** "crm-sync: Ana Ruiz", or "crm-sync: New WhatsApp contact: +34600111222" for a nameless client. */
function topicOf(c: CanonicalContact, first: string, last: string): string {
  const name = [first, last].filter(Boolean).join(' ');
  return `${c.leadSource || 'crm-sync'}: ${name}`.slice(0, TOPIC_MAX);
}

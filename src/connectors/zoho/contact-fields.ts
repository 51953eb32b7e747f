import type { CanonicalContact } from '../outbound.js';
import type { Destination } from './destination.js';
import type { ZohoRecord } from './writes.js';

/** Leads keep their address in Street, City...; Contacts in Mailing_Street, Mailing_City... */
const ADDRESS: [keyof NonNullable<CanonicalContact['address']>, string[]][] = [
  ['street', ['Street', 'Mailing_Street']],
  ['city', ['City', 'Mailing_City']],
  ['state', ['State', 'Mailing_State']],
  ['zip', ['Zip_Code', 'Mailing_Zip']],
  ['country', ['Country', 'Mailing_Country']],
];

/**
 * A client as a record of the destination module. Only what we know is sent (the merge rule),
 * so on an update the CRM keeps what we lack. The name (PRODUCT.md S6): with Last_Name as the
 * name field, first and last names go to First_Name and Last_Name; any other name field gets
 * the full name. A record being created with no name is called by the fallback ("New WhatsApp
 * contact: +34..."); one created with a first name only has it as Last_Name, which Zoho
 * requires. An update with the last name renames; an update with a first name only replaces
 * the name only where it is still our fallback (`rename`), never a name someone typed in Zoho.
 * The lead source is written on creation only: it says where the record came from, and a
 * matched record already has its own.
 */
export type NameMode = 'create' | 'update' | 'rename';

export function contactRecord(c: CanonicalContact, d: Destination, mode: NameMode): ZohoRecord {
  const creating = mode === 'create';
  const v: ZohoRecord = {};
  const set = (name: string | undefined, value: string | undefined, always = false) => {
    if (name && value !== undefined && value !== '' && (always || d.fields.has(name))) v[name] = value;
  };
  const whole = mode !== 'update' || Boolean(c.lastName);
  if (d.nameField === 'Last_Name' && d.fields.has('First_Name')) {
    if (c.lastName || !whole) set('First_Name', c.firstName);
    if (whole) set('Last_Name', c.lastName || c.firstName || (creating ? c.fallbackName : undefined), true);
  } else if (whole) {
    const full = [c.firstName, c.lastName].filter(Boolean).join(' ');
    set(d.nameField, full || (creating ? c.fallbackName : undefined), true);
  }
  // The chosen fields are written even if the metadata lacks them: activation names the mistake.
  set(d.phoneField, c.phones[0], true);
  set(d.phoneField === 'Mobile' ? 'Phone' : d.phoneField === 'Phone' ? 'Mobile' : undefined, c.phones[1]);
  set('Email', c.emails[0]);
  set('Secondary_Email', c.emails[1]);
  set('Company', c.company);
  // A Contact's company is its Account (a lookup); a Lead keeps the company's name in Company.
  if (c.companyRef?.object === 'Accounts' && d.fields.has('Account_Name')) v.Account_Name = { id: c.companyRef.id };
  for (const [part, names] of ADDRESS) for (const name of names) set(name, c.address?.[part]);
  if (c.ownerId) v.Owner = { id: c.ownerId };
  if (creating) set(d.leadSourceField, d.leadSourceValue, true);
  set(d.chatLinkField, c.chatUrl, true);
  // Mapped fields last: an explicit mapping to a standard field is the admin's choice.
  return { ...v, ...c.properties };
}

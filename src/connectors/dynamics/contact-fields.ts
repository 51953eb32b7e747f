import type { CanonicalContact } from '../outbound.js';

export type Values = Record<string, string | number | boolean>;

/**
 * A contact's columns from what we know, and only that (the merge rule): the first e-mail
 * and phone are the primary ones, a second phone is the mobile. Mapped fields come last: an
 * explicit mapping to a standard column is the admin's choice.
 */
export function contactValues(c: CanonicalContact, accountId?: string): Values {
  const v: Values = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') v[name] = value;
  };
  set('firstname', c.firstName);
  set('lastname', c.lastName);
  set('emailaddress1', c.emails[0]);
  set('emailaddress2', c.emails[1]);
  set('telephone1', c.phones[0]);
  set('mobilephone', c.phones[1]);
  set('address1_line1', c.address?.street);
  set('address1_city', c.address?.city);
  // No state column: the contact form's State/Province is not in every environment's schema.
  set('address1_postalcode', c.address?.zip);
  set('address1_country', c.address?.country);
  if (c.ownerId) v['ownerid@odata.bind'] = `/systemusers(${c.ownerId})`;
  if (accountId) v['parentcustomerid_account@odata.bind'] = `/accounts(${accountId})`;
  return { ...v, ...c.properties };
}

/**
 * A new contact: Dataverse shows contacts by full name, so one without a last name gets the
 * known first name as last name, or the fallback name when nothing is known (PRODUCT.md S6).
 */
export function newContact(c: CanonicalContact, accountId?: string): Values {
  const v = contactValues(c, accountId);
  if (v.lastname === undefined) {
    delete v.firstname;
    v.lastname = c.firstName || c.fallbackName;
  }
  return v;
}

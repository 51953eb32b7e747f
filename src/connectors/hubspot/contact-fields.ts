import type { CanonicalContact } from '../outbound.js';
import { CLIENT_ID_PROPERTY } from './facts.js';

/**
 * A contact's HubSpot properties. Only what we know is sent (PRODUCT.md Y5: an update never
 * blanks out what HubSpot has); a second phone goes to `mobilephone`. The mapped `properties`
 * come after the standard fields so an admin's mapping wins over them.
 */
export function contactProperties(contact: CanonicalContact): Record<string, string> {
  const out: Record<string, string | undefined> = {
    firstname: contact.firstName,
    lastname: contact.lastName,
    email: contact.emails[0],
    phone: contact.phones[0],
    mobilephone: contact.phones[1],
    company: contact.company,
    address: contact.address?.street,
    city: contact.address?.city,
    state: contact.address?.state,
    zip: contact.address?.zip,
    country: contact.address?.country,
    hubspot_owner_id: contact.ownerId,
  };
  for (const [name, value] of Object.entries(contact.properties)) out[name] = String(value);
  out[CLIENT_ID_PROPERTY] = contact.clientId; // our key, whatever a mapping says
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** A contact with neither name gets the fallback name as first name, but only on create: an update must not rename a contact HubSpot knows by name. */
export function needsFallbackName(contact: CanonicalContact): boolean {
  return !contact.firstName && !contact.lastName;
}

export function withFallbackName(contact: CanonicalContact, properties: Record<string, string>): Record<string, string> {
  return needsFallbackName(contact) ? { ...properties, firstname: contact.fallbackName } : properties;
}

import type { CanonicalContact, CrmRef } from '../outbound.js';

/** One contact to create or update, with what the engine already knows of its HubSpot record. */
export interface ContactWrite {
  contact: CanonicalContact;
  existing?: CrmRef;
  allowCreate: boolean;
}

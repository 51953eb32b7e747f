import { CrmError } from '../errors.js';
import type { CrmRef, OutboundContext } from '../outbound.js';
import { DYNAMICS } from './api.js';

/**
 * The two tables a client can be in: a lead until someone qualifies it (Dataverse then makes a
 * contact from it and closes the lead), a contact after. Keyed by entity set name, which is
 * what a CrmRef's `object` holds.
 */
export const PEOPLE = {
  contacts: { logicalName: 'contact', primaryId: 'contactid', label: 'contact' },
  leads: { logicalName: 'lead', primaryId: 'leadid', label: 'lead' },
} as const;
export type PersonSet = keyof typeof PEOPLE;

/** A contact wins over a lead with the same e-mail or phone: it is the person once qualified. */
export const MATCH_ORDER: PersonSet[] = ['contacts', 'leads'];

export const isPersonSet = (object: string): object is PersonSet => object === 'contacts' || object === 'leads';

/** The record an activity or update is about, if it is a contact or lead we can bind to. */
export const personOf = (ref: CrmRef): PersonSet | undefined => (isPersonSet(ref.object) ? ref.object : undefined);

/**
 * The destination choices for Dynamics (DestinationSettings.module), as the admin sees them; the
 * first is the default. Contacts, as the product promises for Dynamics ("creates and updates
 * Contacts"); Leads stay a choice for teams that qualify leads in Dynamics.
 */
export const NEW_CLIENT_CHOICES = [
  { apiName: 'contact', label: 'Contacts' },
  { apiName: 'lead', label: 'Leads' },
] as const;

const BY_SETTING: Record<string, PersonSet> = { lead: 'leads', leads: 'leads', contact: 'contacts', contacts: 'contacts' };

/**
 * Where a new client goes: the connection's destination module, `contact` when none was chosen
 * (the first of NEW_CLIENT_CHOICES). Clients already written stay where they are whatever is
 * chosen, since matching finds them first.
 */
export function newClientSet(ctx: OutboundContext): PersonSet {
  const chosen = ctx.destination.module?.trim().toLowerCase() || NEW_CLIENT_CHOICES[0].apiName;
  const set = BY_SETTING[chosen];
  if (!set) {
    throw new CrmError(
      'invalid',
      `${DYNAMICS.name} cannot put new clients in "${ctx.destination.module}": the destination module must be "lead" or "contact" (connection settings, destination.module).`,
    );
  }
  return set;
}

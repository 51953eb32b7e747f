import type { CrmId } from '../domain/crm.js';
import type { DestinationChoice } from './destinations.js';
import { listNewClientTables } from './dynamics/outbound.js';
import { NEW_CLIENT_CHOICES } from './dynamics/people.js';
import { ZOHO } from './zoho/api.js';
import { listPhoneModules } from './zoho/outbound.js';

/** The CRMs with a destination choice (PRODUCT.md S4 for Zoho, C2 for Dynamics); the others write to their standard objects. */
export const DESTINATIONS: Partial<Record<CrmId, DestinationChoice>> = {
  zoho: {
    label: 'Module',
    help: 'Where clients go; only modules with a phone field. Changing it clears the fields below.',
    defaultModule: ZOHO.defaults.module,
    fieldChoices: true,
    readsCrm: true,
    list: listPhoneModules,
  },
  dynamics: {
    label: 'New clients become',
    help: 'Only a client new to Dynamics 365 is created as a lead or a contact; clients already there are updated as the contact or lead they are.',
    // The first choice, what people.ts's newClientSet uses when none is chosen.
    defaultModule: NEW_CLIENT_CHOICES[0].apiName,
    fieldChoices: false,
    readsCrm: false,
    list: listNewClientTables,
  },
};

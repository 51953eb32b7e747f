import type { CrmId } from '../domain/crm.js';
import { autochatConnection } from './autochat/connection.js';
import { dynamicsConnection } from './dynamics/connection.js';
import { hubspotConnection } from './hubspot/connection.js';
import { odooConnection } from './odoo/connection.js';
import { pipedriveConnection } from './pipedrive/connection.js';
import { salesforceConnection } from './salesforce/connection.js';
import type { CrmConnection } from './types.js';
import { zohoConnection } from './zoho/connection.js';

/** Every CRM's connection facts; a missing one fails compilation. */
export const CONNECTIONS = {
  hubspot: hubspotConnection,
  salesforce: salesforceConnection,
  pipedrive: pipedriveConnection,
  zoho: zohoConnection,
  odoo: odooConnection,
  dynamics: dynamicsConnection,
  autochat: autochatConnection,
} satisfies Record<CrmId, CrmConnection>;

export function connectionFacts(crm: CrmId): CrmConnection {
  return CONNECTIONS[crm];
}

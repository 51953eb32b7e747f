import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { ODOO, REFUSALS } from './api.js';
import { upsertContacts } from './contacts.js';
import { describeContactProperties } from './fields.js';
import { findOpenDeal, findOwnerByEmail } from './lookups.js';
import { matchContacts } from './matching.js';

/**
 * Odoo for the sync engine, over the JSON-2 API: clients as contacts (res.partner) keyed by
 * our client id, notes as chatter messages, tasks, calls and meetings as scheduled activities,
 * the open opportunity (crm.lead) for deal association.
 */
export const odooOutbound: OutboundConnector = {
  batchSize: ODOO.batchSize,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  describeContactProperties,
  // Odoo words a refused value as a 500 (builtins.ValueError): that is the data, not an outage.
  classify: (res) => (res.status === 500 && REFUSALS.test(String((res.body as { name?: unknown } | undefined)?.name ?? '')) ? 'pass' : undefined),
};

import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { matchCompanies, upsertCompanies } from './companies.js';
import { upsertContacts } from './contacts.js';
import { createDeal } from './deal-requests.js';
import { findOpenDeal, findOpenDeals } from './deals.js';
import { BATCH_SIZE } from './facts.js';
import { matchContacts } from './matching.js';
import { findOwnerByEmail } from './owners.js';
import { describeContactProperties } from './properties.js';

/**
 * HubSpot as a destination: contacts by batch upsert on e-mail (or create, keyed by our client
 * id), notes, tasks, calls and meetings associated inline with the contact and its open deal,
 * owners by e-mail, contact property metadata. Idempotency keys live in the custom properties
 * `crm_sync_client_id` and `crm_sync_key`, read directly rather than through the lagging search.
 */
export const hubspotOutbound: OutboundConnector = {
  batchSize: BATCH_SIZE,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  findOpenDeals,
  describeContactProperties,
  matchCompanies,
  upsertCompanies,
  createDeal,
};

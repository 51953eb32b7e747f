import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { PIPEDRIVE } from './api.js';
import { matchCompanies, upsertCompanies } from './companies.js';
import { createDeal } from './deal-requests.js';
import { findOpenDeal, findOpenDeals } from './deals.js';
import { matchContacts } from './matching.js';
import { findOwnerByEmail } from './owners.js';
import { describeContactProperties } from './person-fields.js';
import { upsertContacts } from './persons.js';

/**
 * Pipedrive for the sync engine: clients as persons (with their organization), notes and
 * activities on the person and its open deal, companies as organizations, deals on request. No batch endpoints: records go one by one and
 * the rate budget sets the pace.
 */
export const pipedriveOutbound: OutboundConnector = {
  batchSize: PIPEDRIVE.batchSize,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  findOpenDeals,
  matchCompanies,
  upsertCompanies,
  createDeal,
  describeContactProperties,
};

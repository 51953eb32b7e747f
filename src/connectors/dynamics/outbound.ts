import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { DYNAMICS } from './api.js';
import { upsertContacts } from './contacts.js';
import { describeContactProperties, findOpenDeal, findOwnerByEmail } from './lookups.js';
import { matchContacts } from './matching.js';

/**
 * Dynamics 365 (Dataverse Web API) for the sync engine: clients as contacts upserted on the
 * alternate key cs_crmsyncid, notes as annotations, tasks, calls and meetings as activities,
 * written in `$batch`es whose requests stand alone; the open opportunity by its contact.
 */
export const dynamicsOutbound: OutboundConnector = {
  batchSize: DYNAMICS.batchSize,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  describeContactProperties,
};

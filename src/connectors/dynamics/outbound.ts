import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { DYNAMICS } from './api.js';
import { matchCompanies, upsertCompanies } from './companies.js';
import { upsertContacts } from './contacts.js';
import { createDeal } from './deals.js';
import { describeContactProperties, findOpenDeal, findOpenDeals, findOwnerByEmail } from './lookups.js';
import { matchContacts } from './matching.js';
import { NEW_CLIENT_CHOICES } from './people.js';

/**
 * Dynamics 365 (Dataverse Web API) for the sync engine: a new client becomes a contact (or a
 * lead, as the connection chooses) upserted on the alternate key cs_crmsyncid, a matched
 * contact or lead is updated; notes as annotations, tasks, calls and meetings as activities
 * regarding either, written in `$batch`es whose requests stand alone; companies as accounts;
 * the open opportunities of many contacts in one call, and an opportunity created for a contact
 * on request. Reads of many records travel as one `$batch` of GETs.
 */
export const dynamicsOutbound: OutboundConnector = {
  batchSize: DYNAMICS.batchSize,
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

/** For the destination choice: the tables a new client can become (DestinationSettings.module). */
export const listNewClientTables = async () => NEW_CLIENT_CHOICES.map((c) => ({ ...c, phoneFields: [], textFields: [], picklistFields: [] }));

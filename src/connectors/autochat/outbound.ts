import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { AUTOCHAT } from './api.js';
import { describeContactProperties } from './client-fields.js';
import { upsertContacts } from './clients.js';
import { matchContacts } from './matching.js';
import { findOwnerByEmail } from './users.js';

/**
 * AutoChat CRM for the sync engine: clients matched 100 at a time (POST /clients/lookup) and
 * upserted on external_id = our client id (one by PUT, more by the batch endpoint), activities
 * created 100 at a time with the activity key as each one's idempotency_key. No write needs a
 * read-back first, so `maybeWritten` changes nothing here. AutoChat has no deals, so there is
 * no open deal to associate.
 */
export const autochatOutbound: OutboundConnector = {
  batchSize: AUTOCHAT.batchSize,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal: async () => undefined,
  describeContactProperties,
};

import type { OutboundConnector } from '../outbound.js';
import { matchCompanies, upsertCompanies } from './accounts.js';
import { writeActivities } from './activities.js';
import { SALESFORCE } from './api.js';
import { upsertContacts } from './contacts.js';
import { describeContactProperties } from './describe.js';
import { matchContacts } from './matching.js';
import { createDeal, findOpenDeal } from './opportunities.js';
import { findOwnerByEmail } from './owners.js';

/** For the shared http layer's `classify`: Salesforce's daily limit is a 403 that must read as a rate limit. */
import { classifyAnswer } from './failures.js';
export { classifyAnswer as classifySalesforceAnswer } from './failures.js';

/**
 * Salesforce for the sync engine: clients as Leads (new) or the matched Contact or Lead,
 * written with sObject Collections; activities as Tasks and Events; SOQL for everything read.
 */
export const salesforceOutbound: OutboundConnector = {
  batchSize: SALESFORCE.collectionLimit,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  describeContactProperties,
  matchCompanies,
  upsertCompanies,
  createDeal,
  // The daily API allocation is spent: a 403 that is really a rate limit (pause until it frees).
  classify: (res) => (res.status === 403 && JSON.stringify(res.body ?? '').includes('REQUEST_LIMIT_EXCEEDED') ? classifyAnswer(res) : undefined),
};

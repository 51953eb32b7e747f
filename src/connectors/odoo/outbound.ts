import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { matchCompanies, upsertCompanies } from './companies.js';
import { upsertContacts } from './contacts.js';
import { createDeal, findOpenDeals } from './deals.js';
import { ODOO, REFUSALS } from './facts.js';
import { describeContactProperties } from './fields.js';
import { jsonRpcFailure } from './jsonrpc.js';
import { findOpenDeal, findOwnerByEmail } from './lookups.js';
import { Json2Error, JsonRpcAnswer } from './schemas.js';
import { matchContacts } from './matching.js';

/**
 * Odoo for the sync engine, over JSON-2 or /jsonrpc (the connection's API, see api.ts): clients
 * as contacts (res.partner) keyed by our client id, companies as company contacts keyed by our
 * company id, notes as chatter messages, tasks, calls and meetings as scheduled activities,
 * opportunities (crm.lead) found for deal association and created on request.
 */
export const odooOutbound: OutboundConnector = {
  batchSize: ODOO.batchSize,
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
  classify: (res) => {
    // JSON-2 words a refused value as a 500 (builtins.ValueError): that is the data, not an outage.
    if (res.status === 500 && REFUSALS.test(Json2Error.safeParse(res.body).data?.name ?? '')) return 'pass';
    // /jsonrpc answers every exception with a 200: a server error there gets the shared retries (when the call is safe to repeat).
    if (res.status === 200 && JsonRpcAnswer.safeParse(res.body).data?.error) {
      const failure = jsonRpcFailure(res, 'the call');
      return failure?.retryable ? failure : undefined;
    }
    return undefined;
  },
};

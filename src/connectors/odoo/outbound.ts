import type { OutboundConnector } from '../outbound.js';
import { writeActivities } from './activities.js';
import { upsertContacts } from './contacts.js';
import { ODOO, REFUSALS } from './facts.js';
import { describeContactProperties } from './fields.js';
import { jsonRpcFailure, type JsonRpcAnswer } from './jsonrpc.js';
import { findOpenDeal, findOwnerByEmail } from './lookups.js';
import { matchContacts } from './matching.js';

/**
 * Odoo for the sync engine, over the JSON-2 API or /jsonrpc (the connection's, see api.ts): clients as contacts (res.partner) keyed by
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
  classify: (res) => {
    // JSON-2 words a refused value as a 500 (builtins.ValueError): that is the data, not an outage.
    if (res.status === 500 && REFUSALS.test(String((res.body as { name?: unknown } | undefined)?.name ?? ''))) return 'pass';
    // /jsonrpc answers every exception with a 200: a server error there gets the shared retries (when the call is safe to repeat).
    if (res.status === 200 && (res.body as JsonRpcAnswer | undefined)?.error) {
      const failure = jsonRpcFailure(res, 'the call');
      return failure?.retryable ? failure : undefined;
    }
    return undefined;
  },
};

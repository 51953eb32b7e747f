import type { OutboundConnector, OutboundContext } from '../outbound.js';
import { matchCompanies, upsertCompanies } from './accounts.js';
import { activate } from './activation.js';
import { writeActivities } from './activities.js';
import { ZOHO } from './api.js';
import { upsertContacts } from './contacts.js';
import { createDeal } from './deal-requests.js';
import { describeModule } from './fields.js';
import { matchContacts } from './matching.js';
import { findOpenDeal, findOwnerByEmail } from './owners.js';

/** For the destination choice (PRODUCT.md S4): the modules with a phone field and their fields. */
export { listPhoneModules, type DestinationModule } from './fields.js';

/**
 * Zoho CRM for the sync engine (the TimelinesAI integration, PRODUCT.md S4-S6, K8): clients
 * into the chosen module (Leads by default) with the chosen phone, name, chat-link and
 * lead-source fields, matched by phone then e-mail and upserted on them; notes and the day's
 * chat as Notes, commitments as Tasks, calls as Calls, meetings as Events.
 */
export const zohoOutbound: OutboundConnector = {
  batchSize: ZOHO.writeLimit,
  matchContacts,
  upsertContacts,
  writeActivities,
  findOwnerByEmail,
  findOpenDeal,
  describeContactProperties: (ctx: OutboundContext) => describeModule(ctx, ctx.destination.module ?? ZOHO.defaults.module),
  activate,
  matchCompanies,
  upsertCompanies,
  createDeal,
};

import type { CrmId } from '../domain/crm.js';
import type { OutboundConnector } from './outbound.js';
import { autochatOutbound } from './autochat/outbound.js';
import { dynamicsOutbound } from './dynamics/outbound.js';
import { hubspotOutbound } from './hubspot/outbound.js';
import { odooOutbound } from './odoo/outbound.js';
import { pipedriveOutbound } from './pipedrive/outbound.js';
import { salesforceOutbound } from './salesforce/outbound.js';
import { zohoOutbound } from './zoho/outbound.js';

/**
 * The CRMs the engine can write to so far. The others (Pipedrive, Zoho, Odoo, Dynamics,
 * AutoChat) follow on the same contract; until then their connections connect and test,
 * and their pending records wait, visible as pending in the sync items.
 */
export const OUTBOUND: Partial<Record<CrmId, OutboundConnector>> = {
  hubspot: hubspotOutbound,
  salesforce: salesforceOutbound,
  zoho: zohoOutbound,
  odoo: odooOutbound,
  dynamics: dynamicsOutbound,
  pipedrive: pipedriveOutbound,
  autochat: autochatOutbound,
};

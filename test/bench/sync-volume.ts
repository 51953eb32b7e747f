import type { ConversationInput } from '../../src/client/index.js';
import { rateLimits } from '../../src/connectors/http/limits.js';
import type { OutboundConnector } from '../../src/connectors/outbound.js';
import type { CrmId } from '../../src/domain/crm.js';
import { clientBody } from './fixtures.js';

export const CONVERSATIONS_PER_CLIENT = 3;

/** A client of one phase: its own id, e-mail and phone, so no phase matches another's CRM records. */
export function syncClient(phase: number, i: number) {
  return {
    ...clientBody(i),
    id: `p${phase}-c-${i}`,
    emails: [emailOf(phase, i)],
    phones: [`+34 6${phase}${String(i).padStart(7, '0')}`],
  };
}

export const emailOf = (phase: number, i: number) => `p${phase}.ana.${i}@acme${i % 97}.io`;

/**
 * A summary, a key note and a commitment each; the third conversation of every client is a
 * call. In the CRM: a note (summary and key notes together), a task, and for calls a call.
 */
export function syncConversation(phase: number, i: number, k: number): ConversationInput & { id: string } {
  const start = Date.UTC(2026, 10, 20, 10) + (i * CONVERSATIONS_PER_CLIENT + k) * 60_000;
  const at = (m: number) => new Date(start + m * 60_000).toISOString();
  const call = k === CONVERSATIONS_PER_CLIENT - 1;
  return {
    id: `p${phase}-cv-${i}-${k}`,
    clientIds: [`p${phase}-c-${i}`],
    channel: call ? 'call' : 'whatsapp',
    isGroup: false,
    title: call ? `Call ${k} with client ${i}` : `Conversation ${k} with client ${i}`,
    startedAt: at(0),
    endedAt: at(15),
    messages: [{ id: 'm0', direction: 'inbound', author: 'Ana', text: `About the quote (${i}/${k}).`, sentAt: at(1) }],
    summary: `Client ${i} wants a quote for ${10 + k} seats before the end of the month.`,
    keyNotes: [`Budget approved (${k})`],
    commitments: [{ text: `Send the quote ${k}`, dueAt: at(60 * 48), ownerEmail: `seller${i % 7}@platform.io` }],
  };
}

/** What N clients become in any CRM: a contact each, a note and a task per conversation, a call per client. */
export function expectedRecords(clients: number): number {
  return clients * (1 + 2 * CONVERSATIONS_PER_CLIENT + 1);
}

/**
 * Which CRM objects one batch call can write together. HubSpot has a batch endpoint per object
 * (contacts, notes, tasks, calls); a Salesforce Collection takes Tasks and Events mixed, and
 * new clients go through the Lead upsert. A Dataverse `$batch` takes requests for any tables:
 * leads and contacts together, then notes and activities together (they bind to the person's
 * id, and standalone requests cannot refer to a row created in the same batch). A CRM not
 * listed here is assumed to need one call per object type, each of the connector's batch size.
 */
const WRITE_GROUPS: Partial<Record<CrmId, string[][]>> = {
  hubspot: [['contacts'], ['notes'], ['tasks'], ['calls'], ['meetings']],
  salesforce: [['Lead'], ['Contact'], ['Task', 'Event']],
  dynamics: [['lead', 'contact'], ['annotation', 'task', 'phonecall', 'appointment']],
};

/**
 * Records one write call can carry, where that is not the connector's batchSize. Pipedrive has
 * no batch write endpoint (persons, notes and activities are created one per call); its
 * connector's batchSize of 10 is only how many records the engine hands it at once.
 */
const RECORDS_PER_CALL: Partial<Record<CrmId, number>> = { pipedrive: 1 };

export const recordsPerCall = (crm: CrmId, connector: OutboundConnector) => RECORDS_PER_CALL[crm] ?? connector.batchSize;

/** The fewest calls the vendor's batch endpoints allow for these records (object -> count written). */
export function minimumCalls(crm: CrmId, connector: OutboundConnector, written: Record<string, number>): number {
  const groups = WRITE_GROUPS[crm] ?? Object.keys(written).map((o) => [o]);
  return groups.reduce((sum, g) => sum + Math.ceil(g.reduce((n, o) => n + (written[o] ?? 0), 0) / recordsPerCall(crm, connector)), 0);
}

export interface Ceiling {
  /** Records per second the vendor's per-window limit allows at full batches. */
  perSecond?: number;
  /** Records per day a daily allocation allows at full batches, when that is the only limit. */
  perDay?: number;
  /** How it is derived, for the table. */
  how: string;
}

/** rate x batch size: the most records the vendor's documented limit allows, from limits.ts. */
export function ceilingOf(crm: CrmId, recordsPerMinimumCall: number): Ceiling {
  const facts = rateLimits[crm] as (typeof rateLimits)[CrmId];
  const perCall = Math.round(recordsPerMinimumCall);
  if ('window' in facts && facts.window) {
    const callsPerSecond = facts.window.limit / (facts.window.windowMs / 1000);
    return { perSecond: callsPerSecond * recordsPerMinimumCall, how: `${callsPerSecond}/s x ${perCall} records per call` };
  }
  if ('daily' in facts && facts.daily) {
    return { perDay: facts.daily.limit * recordsPerMinimumCall, how: `${facts.daily.limit.toLocaleString('en-US')} ${facts.daily.unit}/day x ${perCall} records per call` };
  }
  return { how: 'no documented call rate' };
}

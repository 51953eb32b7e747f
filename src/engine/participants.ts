import { CrmError } from '../connectors/errors.js';
import type { CanonicalContact, CrmRef } from '../connectors/outbound.js';
import type { ConversationBody, Participant } from '../domain/conversation.js';
import { findClientIdsByContactPoints } from '../store/clients.js';
import { LEAD_SOURCE } from './canonical.js';
import type { SyncRun } from './run.js';

/** Who a conversation reaches on a connection. */
export interface Reach {
  /** Clients by id, and known clients with a participant's e-mail or phone: their CRM records get the conversation. */
  clientIds: string[];
  /** Participants known to no client whose e-mail or phone finds a CRM contact: the conversation goes on that record. */
  contacts: { point: Participant; ref: CrmRef }[];
  /** Participants known to no client and to no CRM contact. */
  unmatched: Participant[];
  /** The CRM could not be searched for this conversation's participants: try again later. */
  lookupFailed?: CrmError;
}

const keyOf = (p: Participant) => `${p.kind}:${p.value}`;

/**
 * Resolves the participants of these conversations (PRODUCT.md: "if the participant has an
 * email registered in the CRM, the conversation is associated with that contact"): by id; by
 * e-mail or phone, to the clients that have it; else to the CRM contact the connector's own
 * matching finds for it, with the same rules as for a client that has only that e-mail or phone.
 * A participant resolved to a CRM contact is not linked to it: nothing of ours owns the record.
 */
export async function resolveParticipants(run: SyncRun, conversations: ConversationBody[]): Promise<Map<string, Reach>> {
  const points = conversations.flatMap((c) => c.participants.filter((p) => p.kind !== 'client')) as (Participant & { kind: 'email' | 'phone' })[];
  const known = await findClientIdsByContactPoints(run.store.db, run.connection.workspace_id, points);
  const unknown = [...new Map(points.filter((p) => !known.has(keyOf(p))).map((p) => [keyOf(p), p])).values()];
  let found = new Map<string, CrmRef>();
  let lookupFailed: CrmError | undefined;
  if (unknown.length) {
    try {
      found = await run.connector.matchContacts(run.ctx, unknown.map(asContact));
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      lookupFailed = err;
    }
  }
  return new Map(
    conversations.map((c) => {
      const reach: Reach = { clientIds: [], contacts: [], unmatched: [] };
      for (const p of c.participants) {
        if (p.kind === 'client') reach.clientIds.push(p.value);
        else if (known.has(keyOf(p))) reach.clientIds.push(...known.get(keyOf(p))!);
        else if (lookupFailed) reach.lookupFailed = lookupFailed;
        else if (found.has(keyOf(p))) reach.contacts.push({ point: p, ref: found.get(keyOf(p))! });
        else reach.unmatched.push(p);
      }
      reach.clientIds = [...new Set(reach.clientIds)];
      return [c.id, reach];
    }),
  );
}

/** A participant as a contact to look for: only its e-mail or phone; its key stands where a client id would. */
function asContact(p: Participant): CanonicalContact {
  return {
    clientId: keyOf(p),
    emails: p.kind === 'email' ? [p.value] : [],
    phones: p.kind === 'phone' ? [p.value] : [],
    fallbackName: p.value,
    properties: {},
    leadSource: LEAD_SOURCE,
    // Never written by crm-sync: no record keyed by it to look for.
    maybeWritten: false,
  };
}

/** Why a participant got nothing, for the sync log. */
export function unmatchedReason(p: Participant, crmName: string): string {
  return `participant ${p.value} is neither a known client nor a contact in ${crmName} (no ${p.kind === 'email' ? 'e-mail' : 'phone'} match)`;
}

import type { ConversationBody, Participant } from '../domain/conversation.js';
import { contentHash } from '../domain/hash.js';
import { findClientIdsByContactPoints } from '../store/clients.js';
import type { Tx } from '../store/store.js';

/**
 * The clients each conversation's specific fields reach: its client participants, and the
 * known clients with the e-mail or phone of a participant given that way.
 */
export async function clientsOfParticipants(tx: Tx, workspaceId: string, bodies: ConversationBody[]): Promise<Map<string, string[]>> {
  const points = bodies.flatMap((b) => b.participants.flatMap((p) => (p.kind === 'client' ? [] : [{ kind: p.kind, value: p.value }])));
  const byPoint = await findClientIdsByContactPoints(tx, workspaceId, points);
  const clientsOf = (participants: Participant[]) => [...new Set(participants.flatMap((p) => (p.kind === 'client' ? [p.value] : (byPoint.get(`${p.kind}:${p.value}`) ?? []))))];
  return new Map(bodies.map((b) => [b.id, clientsOf(b.participants)]));
}

/** What decides the specific fields a conversation gives its clients: the fields, its time (the latest conversation wins), who took part. */
const fieldsKey = (b: ConversationBody) => contentHash({ specificFields: b.specificFields, startedAt: b.startedAt, participants: b.participants });

/**
 * Whether this write of a conversation can change its clients' mapped specific fields. Fields
 * that are removed change nothing: crm-sync never blanks a CRM field.
 */
export function fieldsReachClients(body: ConversationBody, prior: ConversationBody | undefined): boolean {
  return Object.keys(body.specificFields).length > 0 && (!prior || fieldsKey(prior) !== fieldsKey(body));
}

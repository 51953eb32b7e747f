import { normalizeConversation, normalizeMessage, type ConversationBody, type ConversationInput, type Message, type MessageInput } from '../domain/conversation.js';
import { contentHash } from '../domain/hash.js';
import { bumpConversationVersion, replaceParticipants, saveAnalyses, saveConversations } from '../store/conversations.js';
import { findMessageHashes, messageKey, saveMessages, type MessageRowInput } from '../store/messages.js';
import { enqueueChanges, type PendingChange } from '../store/outbox.js';
import type { Tx } from '../store/store.js';
import { findVersions } from '../store/versions.js';
import { lockRecords } from '../store/entity-locks.js';
import { bumpClientVersions } from '../store/clients.js';
import { loadConversations } from '../store/sync-reads.js';
import { clientsOfParticipants, fieldsReachClients } from './conversation-fields.js';
import { collect, lastById, type EntityResult, type Prepared } from './types.js';

export interface PreparedConversation {
  id: string;
  body: ConversationBody;
  messages: Message[];
}

export function prepareConversations(
  items: { id: string; input: ConversationInput; path: string }[],
  defaultCountry: string,
): Prepared<PreparedConversation> {
  return collect(
    items.map((i) => {
      const r = normalizeConversation(i.id, i.input, defaultCountry, i.path);
      return r.ok ? { ok: true as const, value: { id: i.id, body: r.body, messages: r.messages } } : r;
    }),
  );
}

/**
 * Stores conversations whose fields or messages changed. Messages are upserted by id and
 * never removed by a PUT that leaves them out (a conversation's history only grows).
 * `writtenClients` are clients this transaction already gave a new version (a batch): that
 * version's sync reads these conversations' fields, so they need no other.
 */
export async function applyConversations(tx: Tx, workspaceId: string, items: PreparedConversation[], now: number, writtenClients = new Set<string>()): Promise<EntityResult[]> {
  const unique = lastById(items);
  const ids = unique.map((c) => c.id);
  // Clients before conversations: the order every writer locks kinds in.
  const withFields = unique.filter((c) => Object.keys(c.body.specificFields).length);
  const reached = await clientsOfParticipants(tx, workspaceId, withFields.map((c) => c.body));
  await lockRecords(tx, 'clients', workspaceId, [...reached.values()].flat());
  await lockRecords(tx, 'conversations', workspaceId, ids);
  const stored = await findVersions(tx, 'conversations', workspaceId, ids);
  const priorBodies = await loadConversations(tx, workspaceId, withFields.filter((c) => stored.has(c.id)).map((c) => c.id));
  // The clients whose mapped specific fields this write may change, and whether a new conversation does (then they are due at once).
  const refresh = new Map<string, PendingChange['change']>();
  const storedMessages = await findMessageHashes(tx, workspaceId, ids);

  const results: EntityResult[] = [];
  const bodyWrites: { body: ConversationBody; hash: string; version: number; createdAt: number }[] = [];
  const versionBumps: { id: string; version: number }[] = [];
  const messageWrites: MessageRowInput[] = [];
  const changes: PendingChange[] = [];

  for (const c of unique) {
    const prior = stored.get(c.id);
    const hash = contentHash(c.body);
    const newMessages = changedMessages(c.id, c.messages, storedMessages);
    const bodyChanged = !prior || prior.hash !== hash;
    if (!bodyChanged && newMessages.length === 0) {
      results.push({ id: c.id, result: 'unchanged', version: prior?.version ?? 0 });
      continue;
    }
    const version = (prior?.version ?? 0) + 1;
    if (bodyChanged) bodyWrites.push({ body: c.body, hash, version, createdAt: prior?.createdAt ?? now });
    else versionBumps.push({ id: c.id, version });
    if (bodyChanged && fieldsReachClients(c.body, priorBodies.get(c.id)?.body)) {
      for (const id of reached.get(c.id) ?? []) if (!writtenClients.has(id) && refresh.get(id) !== 'refreshed') refresh.set(id, prior ? 'updated' : 'refreshed');
    }
    messageWrites.push(...newMessages);
    changes.push({ workspaceId, entityType: 'conversation', entityId: c.id, change: prior ? 'updated' : 'created', version });
    results.push({ id: c.id, result: prior ? 'updated' : 'created', version });
  }

  if (bodyWrites.length) {
    await saveConversations(tx, workspaceId, bodyWrites, now);
    await replaceParticipants(tx, workspaceId, bodyWrites.map((w) => w.body));
    await saveAnalyses(tx, workspaceId, bodyWrites.map((w) => w.body), now);
  }
  for (const b of versionBumps) await bumpConversationVersion(tx, workspaceId, b.id, b.version, now);
  if (messageWrites.length) await saveMessages(tx, workspaceId, messageWrites, now);
  // The clients' CRM records take the new fields (PRODUCT.md S3): a new version of each client,
  // due when the conversation is (at once for a new one, else on the interval), whose canonical
  // record reads its conversations' latest fields.
  for (const [id, version] of await bumpClientVersions(tx, workspaceId, [...refresh.keys()])) changes.push({ workspaceId, entityType: 'client', entityId: id, change: refresh.get(id)!, version });
  if (changes.length) await enqueueChanges(tx, changes, now);
  return results;
}

/** Adds messages to a stored conversation; undefined when there is no such conversation. */
export async function applyMessages(
  tx: Tx,
  workspaceId: string,
  conversationId: string,
  inputs: MessageInput[],
  now: number,
): Promise<EntityResult | undefined> {
  await lockRecords(tx, 'conversations', workspaceId, [conversationId]);
  const prior = (await findVersions(tx, 'conversations', workspaceId, [conversationId])).get(conversationId);
  if (!prior) return undefined;
  const storedMessages = await findMessageHashes(tx, workspaceId, [conversationId]);
  const newMessages = changedMessages(conversationId, lastById(inputs.map(normalizeMessage)), storedMessages);
  if (newMessages.length === 0) return { id: conversationId, result: 'unchanged', version: prior.version };
  const version = prior.version + 1;
  await saveMessages(tx, workspaceId, newMessages, now);
  await bumpConversationVersion(tx, workspaceId, conversationId, version, now);
  await enqueueChanges(tx, [{ workspaceId, entityType: 'conversation', entityId: conversationId, change: 'updated', version }], now);
  return { id: conversationId, result: 'updated', version };
}

function changedMessages(conversationId: string, messages: Message[], stored: Map<string, string>): MessageRowInput[] {
  return messages.flatMap((message) => {
    const hash = contentHash(message);
    return stored.get(messageKey(conversationId, message.id)) === hash ? [] : [{ conversationId, message, hash }];
  });
}

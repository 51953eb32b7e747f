import type { Message } from '../domain/conversation.js';
import { chunks } from './chunks.js';
import { upsertRows } from './upsert.js';
import type { MessageTable } from './schema.js';
import { readJson, writeJson, type Db, type Tx } from './store.js';

export interface MessageRowInput {
  conversationId: string;
  message: Message;
  hash: string;
}

/** Hashes of the stored messages of these conversations, keyed `<conversationId>\u0000<messageId>`. */
export async function findMessageHashes(db: Db | Tx, workspaceId: string, conversationIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(conversationIds)], 300)) {
    const rows = await db
      .selectFrom('messages')
      .select(['conversation_id', 'id', 'content_hash'])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', part)
      .execute();
    for (const r of rows) out.set(messageKey(r.conversation_id, r.id), r.content_hash);
  }
  return out;
}

export const messageKey = (conversationId: string, messageId: string) => `${conversationId}\u0000${messageId}`;

export async function saveMessages(tx: Tx, workspaceId: string, rows: MessageRowInput[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'messages',
    rows.map(({ conversationId, message: m, hash }) => ({
      workspace_id: workspaceId,
      conversation_id: conversationId,
      id: m.id,
      direction: m.direction,
      author: m.author ?? null,
      text: m.text,
      sent_at: Date.parse(m.sentAt),
      attachments: writeJson(m.attachments),
      content_hash: hash,
      created_at: now,
      updated_at: now,
    })),
    ['workspace_id', 'conversation_id', 'id'],
    ['created_at'],
    150,
  );
}

export async function listMessages(db: Db | Tx, workspaceId: string, conversationId: string): Promise<Message[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  return rows.map(toMessage);
}

function toMessage(r: MessageTable): Message {
  return {
    id: r.id,
    direction: r.direction,
    ...(r.author ? { author: r.author } : {}),
    text: r.text,
    sentAt: new Date(r.sent_at).toISOString(),
    attachments: readJson(r.attachments),
  };
}

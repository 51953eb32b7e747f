import type { ConversationBody } from '../domain/conversation.js';
import { toEpoch } from '../domain/schema-parts.js';
import { chunks } from './chunks.js';
import { upsertRows } from './upsert.js';
import type { ConversationTable } from './schema.js';
import { writeJson, type Db, type Tx } from './store.js';

export interface ConversationRowInput {
  body: ConversationBody;
  hash: string;
  version: number;
  createdAt: number;
}

export async function saveConversations(tx: Tx, workspaceId: string, rows: ConversationRowInput[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'conversations',
    rows.map(({ body, hash, version, createdAt }) => ({
      workspace_id: workspaceId,
      id: body.id,
      channel: body.channel ?? null,
      is_group: body.isGroup ? 1 : 0,
      title: body.title ?? null,
      url: body.url ?? null,
      started_at: toEpoch(body.startedAt),
      ended_at: toEpoch(body.endedAt),
      qualification_status: body.qualification?.status ?? null,
      qualification_provisional: body.qualification?.provisional ? 1 : 0,
      qualification_score: body.qualification?.score ?? null,
      body: writeJson(body),
      content_hash: hash,
      version,
      created_at: createdAt,
      updated_at: now,
    })),
    ['workspace_id', 'id'],
    ['created_at'],
  );
}

/** Version bump for a conversation whose messages changed while its own fields did not. */
export async function bumpConversationVersion(tx: Tx, workspaceId: string, id: string, version: number, now: number): Promise<void> {
  await tx.updateTable('conversations').set({ version, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function replaceParticipants(tx: Tx, workspaceId: string, bodies: ConversationBody[]): Promise<void> {
  for (const part of chunks(bodies, 300)) {
    await tx
      .deleteFrom('conversation_participants')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', part.map((b) => b.id))
      .execute();
  }
  const rows = bodies.flatMap((b) =>
    b.participants.map((p, position) => ({ workspace_id: workspaceId, conversation_id: b.id, kind: p.kind, value: p.value, position })),
  );
  for (const part of chunks(rows, 200)) await tx.insertInto('conversation_participants').values(part).execute();
}

/** The AI analysis of each conversation: summary, key notes, commitments, specific fields. */
export async function saveAnalyses(tx: Tx, workspaceId: string, bodies: ConversationBody[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'analyses',
    bodies.map((b) => ({
      workspace_id: workspaceId,
      conversation_id: b.id,
      summary: b.summary ?? null,
      key_notes: writeJson(b.keyNotes),
      commitments: writeJson(b.commitments),
      specific_fields: writeJson(b.specificFields),
      updated_at: now,
    })),
    ['workspace_id', 'conversation_id'],
    [],
    150,
  );
}

export async function findConversation(db: Db | Tx, workspaceId: string, id: string): Promise<ConversationTable | undefined> {
  return db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

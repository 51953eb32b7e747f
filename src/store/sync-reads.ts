import type { ClientBody } from '../domain/client.js';
import type { ConversationBody } from '../domain/conversation.js';
import { chunks } from './chunks.js';
import { readJson, type Db, type Tx } from './store.js';

/** Tables of ingested records: each row is a workspace's record, its JSON body and its version. */
type RecordTable = 'clients' | 'companies' | 'conversations' | 'deals';

/** The stored bodies of these records, with their versions. */
export async function loadRecords<B>(db: Db | Tx, table: RecordTable, workspaceId: string, ids: string[]): Promise<Map<string, { body: B; version: number }>> {
  const out = new Map<string, { body: B; version: number }>();
  for (const part of chunks(ids, 400)) {
    // Every RecordTable has these columns; Kysely types the query for one of them.
    const rows = await db.selectFrom(table as 'clients').select(['id', 'body', 'version']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, { body: readJson<B>(r.body), version: r.version });
  }
  return out;
}

export const loadClients = (db: Db | Tx, workspaceId: string, ids: string[]) => loadRecords<ClientBody>(db, 'clients', workspaceId, ids);
export const loadConversations = (db: Db | Tx, workspaceId: string, ids: string[]) => loadRecords<ConversationBody>(db, 'conversations', workspaceId, ids);

export interface ConversationFacts {
  qualified: boolean;
  specificFields: Record<string, unknown>;
  conversationIds: string[];
  /** The URL of the client's most recently updated conversation that has one. */
  chatUrl?: string;
}

/**
 * For each client: whether any of its conversations is qualified (provisionally or not), and
 * the specific fields of its conversations, newest last (so later values win).
 */
export async function conversationFacts(
  db: Db | Tx,
  workspaceId: string,
  clientIds: string[],
): Promise<Map<string, ConversationFacts>> {
  const out = new Map<string, ConversationFacts>();
  for (const part of chunks(clientIds, 400)) {
    const rows = await db
      .selectFrom('conversation_participants as p')
      .innerJoin('conversations as c', (j) => j.onRef('c.workspace_id', '=', 'p.workspace_id').onRef('c.id', '=', 'p.conversation_id'))
      .leftJoin('analyses as a', (j) => j.onRef('a.workspace_id', '=', 'c.workspace_id').onRef('a.conversation_id', '=', 'c.id'))
      .select(['p.value as client_id', 'c.id as conversation_id', 'c.qualification_status', 'c.url', 'a.specific_fields', 'c.updated_at'])
      .where('p.workspace_id', '=', workspaceId)
      .where('p.kind', '=', 'client')
      .where('p.value', 'in', part)
      .orderBy('c.updated_at')
      .execute();
    for (const r of rows) {
      const f: ConversationFacts = out.get(r.client_id) ?? { qualified: false, specificFields: {}, conversationIds: [] };
      if (r.url) f.chatUrl = r.url;
      f.qualified ||= r.qualification_status === 'qualified';
      Object.assign(f.specificFields, r.specific_fields ? readJson<Record<string, unknown>>(r.specific_fields) : {});
      f.conversationIds.push(r.conversation_id);
      out.set(r.client_id, f);
    }
  }
  return out;
}

export async function userEmail(db: Db | Tx, userId: string): Promise<string | undefined> {
  const r = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return r?.email;
}

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
 * the specific fields of its conversations, the latest conversation by its time winning (its
 * `startedAt`, else when it was first received). A client's conversations are those it takes
 * part in by id, or by one of its e-mails or phones.
 */
export async function conversationFacts(
  db: Db | Tx,
  workspaceId: string,
  clientIds: string[],
): Promise<Map<string, ConversationFacts>> {
  const rows: FactRow[] = [];
  for (const part of chunks(clientIds, 400)) rows.push(...(await byClientId(db, workspaceId, part)), ...(await byContactPoint(db, workspaceId, part)));
  const at = (r: FactRow) => Number(r.started_at ?? r.created_at);
  rows.sort((a, b) => at(a) - at(b) || (a.conversation_id < b.conversation_id ? -1 : a.conversation_id > b.conversation_id ? 1 : 0));
  const out = new Map<string, ConversationFacts & { urlAt?: number }>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(`${r.client_id}\u0000${r.conversation_id}`)) continue;
    seen.add(`${r.client_id}\u0000${r.conversation_id}`);
    const f = out.get(r.client_id) ?? { qualified: false, specificFields: {}, conversationIds: [] };
    if (r.url && Number(r.updated_at) >= (f.urlAt ?? -Infinity)) Object.assign(f, { chatUrl: r.url, urlAt: Number(r.updated_at) });
    f.qualified ||= r.qualification_status === 'qualified';
    Object.assign(f.specificFields, r.specific_fields ? readJson<Record<string, unknown>>(r.specific_fields) : {});
    f.conversationIds.push(r.conversation_id);
    out.set(r.client_id, f);
  }
  return new Map([...out].map(([id, { urlAt: _, ...f }]) => [id, f]));
}

type FactRow = Awaited<ReturnType<typeof byClientId>>[number];

function factsQuery(db: Db | Tx, workspaceId: string) {
  return db
    .selectFrom('conversation_participants as p')
    .innerJoin('conversations as c', (j) => j.onRef('c.workspace_id', '=', 'p.workspace_id').onRef('c.id', '=', 'p.conversation_id'))
    .leftJoin('analyses as a', (j) => j.onRef('a.workspace_id', '=', 'c.workspace_id').onRef('a.conversation_id', '=', 'c.id'))
    .select(['c.id as conversation_id', 'c.qualification_status', 'c.url', 'a.specific_fields', 'c.started_at', 'c.created_at', 'c.updated_at'])
    .where('p.workspace_id', '=', workspaceId);
}

const byClientId = (db: Db | Tx, workspaceId: string, ids: string[]) =>
  factsQuery(db, workspaceId).select('p.value as client_id').where('p.kind', '=', 'client').where('p.value', 'in', ids).execute();

/** Conversations whose participant was given by an e-mail or phone that one of these clients has. */
const byContactPoint = (db: Db | Tx, workspaceId: string, ids: string[]) =>
  factsQuery(db, workspaceId)
    .innerJoin('client_identities as i', (j) => j.onRef('i.workspace_id', '=', 'p.workspace_id').onRef('i.kind', '=', 'p.kind').onRef('i.value', '=', 'p.value'))
    .select('i.client_id as client_id')
    .where('i.client_id', 'in', ids)
    .execute();

export async function userEmail(db: Db | Tx, userId: string): Promise<string | undefined> {
  const r = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return r?.email;
}

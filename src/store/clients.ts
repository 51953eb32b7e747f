import type { ClientBody } from '../domain/client.js';
import { chunks } from './chunks.js';
import { upsertRows } from './upsert.js';
import type { ClientTable } from './schema.js';
import { writeJson, type Db, type Tx } from './store.js';

export interface ClientRowInput {
  body: ClientBody;
  hash: string;
  version: number;
  createdAt: number;
}

/** Inserts or replaces whole client rows (one statement per 100). */
export async function saveClients(tx: Tx, workspaceId: string, rows: ClientRowInput[], now: number): Promise<void> {
  await upsertRows(
    tx,
    'clients',
    rows.map(({ body, hash, version, createdAt }) => ({
      workspace_id: workspaceId,
      id: body.id,
      first_name: body.firstName ?? null,
      last_name: body.lastName ?? null,
      company_name: body.company ?? null,
      company_id: body.companyId ?? null,
      owner_email: body.ownerEmail ?? null,
      address: body.address ? writeJson(body.address) : null,
      properties: writeJson(body.properties),
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

/** Replaces the e-mails and phones that matching looks clients up by; `existing` are the clients that may have old ones. */
export async function replaceClientIdentities(tx: Tx, workspaceId: string, bodies: ClientBody[], existing: Set<string>): Promise<void> {
  for (const part of chunks([...existing], 300)) {
    await tx.deleteFrom('client_identities').where('workspace_id', '=', workspaceId).where('client_id', 'in', part).execute();
  }
  const rows = bodies.flatMap((b) => [
    ...b.emails.map((e, position) => ({ workspace_id: workspaceId, client_id: b.id, kind: 'email' as const, value: e.value, raw: e.raw, position })),
    ...b.phones.map((p, position) => ({ workspace_id: workspaceId, client_id: b.id, kind: 'phone' as const, value: p.value, raw: p.raw, position })),
  ]);
  for (const part of chunks(rows, 150)) await tx.insertInto('client_identities').values(part).execute();
}

export async function replaceClientSegments(tx: Tx, workspaceId: string, bodies: ClientBody[], existing: Set<string>): Promise<void> {
  for (const part of chunks([...existing], 300)) {
    await tx.deleteFrom('client_segments').where('workspace_id', '=', workspaceId).where('client_id', 'in', part).execute();
  }
  const rows = bodies.flatMap((b) => b.segments.map((segment) => ({ workspace_id: workspaceId, client_id: b.id, segment })));
  for (const part of chunks(rows, 300)) await tx.insertInto('client_segments').values(part).execute();
}

export async function findClient(db: Db | Tx, workspaceId: string, id: string): Promise<ClientTable | undefined> {
  return db.selectFrom('clients').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Clients that have this normalised e-mail or phone (matching). */
export async function findClientIdsByIdentity(db: Db | Tx, workspaceId: string, kind: 'email' | 'phone', value: string): Promise<string[]> {
  const rows = await db
    .selectFrom('client_identities')
    .select('client_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .execute();
  return rows.map((r) => r.client_id);
}

/** Clients known by these e-mails and phones: for each `kind:value` (a conversation participant), the ids of the clients that have it. */
export async function findClientIdsByContactPoints(db: Db | Tx, workspaceId: string, points: { kind: 'email' | 'phone'; value: string }[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const kind of ['email', 'phone'] as const) {
    const values = [...new Set(points.filter((p) => p.kind === kind).map((p) => p.value))];
    for (const part of chunks(values, 400)) {
      const rows = await db
        .selectFrom('client_identities')
        .select(['client_id', 'value'])
        .distinct()
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', kind)
        .where('value', 'in', part)
        .orderBy('client_id')
        .execute();
      for (const r of rows) out.set(`${kind}:${r.value}`, [...(out.get(`${kind}:${r.value}`) ?? []), r.client_id]);
    }
  }
  return out;
}

/**
 * A new version of these clients whose body did not change but whose CRM record should: their
 * conversations extracted new specific fields. Returns the new version of each client that exists.
 */
export async function bumpClientVersions(tx: Tx, workspaceId: string, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks([...new Set(ids)], 400)) {
    await tx.updateTable('clients').set((eb) => ({ version: eb('version', '+', 1) })).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute();
    const rows = await tx.selectFrom('clients').select(['id', 'version']).where('workspace_id', '=', workspaceId).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, r.version);
  }
  return out;
}

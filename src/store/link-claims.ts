import { chunks } from './chunks.js';
import type { Db, Tx } from './store.js';

/** A client already linked to a CRM record on a connection, with its e-mails (none: empty). */
export interface LinkedClient {
  crmObject: string;
  crmId: string;
  clientId: string;
  emails: string[];
}

/**
 * The clients linked on this connection to any of these CRM records, with their e-mails, so
 * that matching can tell whether another client already owns a record it found.
 */
export async function findClientsLinkedTo(db: Db | Tx, workspaceId: string, connectionId: string, crmIds: string[]): Promise<LinkedClient[]> {
  const byKey = new Map<string, LinkedClient>();
  for (const part of chunks([...new Set(crmIds)], 400)) {
    const rows = await db
      .selectFrom('crm_links as l')
      .leftJoin('client_identities as ci', (j) =>
        j.onRef('ci.workspace_id', '=', 'l.workspace_id').onRef('ci.client_id', '=', 'l.entity_id').on('ci.kind', '=', 'email'),
      )
      .select(['l.crm_object', 'l.crm_id', 'l.entity_id', 'ci.value'])
      .where('l.workspace_id', '=', workspaceId)
      .where('l.connection_id', '=', connectionId)
      .where('l.entity_type', '=', 'client')
      .where('l.crm_id', 'in', part)
      .execute();
    for (const r of rows) {
      const key = `${r.crm_object}\u0000${r.crm_id}\u0000${r.entity_id}`;
      const linked = byKey.get(key) ?? { crmObject: r.crm_object, crmId: r.crm_id, clientId: r.entity_id, emails: [] };
      if (r.value) linked.emails.push(r.value);
      byKey.set(key, linked);
    }
  }
  return [...byKey.values()];
}

import { chunks } from './chunks.js';
import type { Db, Tx } from './store.js';

/** The CRM record a crm-sync record (or an activity key) was written to, per connection. */
export interface CrmLink {
  entityType: string;
  entityId: string;
  crmObject: string;
  crmId: string;
  contentHash?: string | null;
}

export async function findLinks(db: Db | Tx, connectionId: string, entityType: string, entityIds: string[]): Promise<Map<string, CrmLink>> {
  const out = new Map<string, CrmLink>();
  for (const part of chunks([...new Set(entityIds)], 400)) {
    const rows = await db
      .selectFrom('crm_links')
      .select(['entity_type', 'entity_id', 'crm_object', 'crm_id', 'content_hash'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.entity_id, { entityType: r.entity_type, entityId: r.entity_id, crmObject: r.crm_object, crmId: r.crm_id, contentHash: r.content_hash });
  }
  return out;
}

/**
 * Remembers where records went, so a matched record is never searched for again. A link given
 * twice is saved once, as given last: PostgreSQL refuses a statement that upserts one row twice
 * ("ON CONFLICT DO UPDATE command cannot affect row a second time").
 */
export async function saveLinks(db: Db | Tx, workspaceId: string, connectionId: string, links: CrmLink[], now: number): Promise<void> {
  const once = [...new Map(links.map((l) => [`${l.entityType}\u0000${l.entityId}\u0000${l.crmObject}`, l])).values()];
  for (const part of chunks(once, 150)) {
    await db
      .insertInto('crm_links')
      .values(
        part.map((l) => ({
          workspace_id: workspaceId,
          connection_id: connectionId,
          entity_type: l.entityType,
          entity_id: l.entityId,
          crm_object: l.crmObject,
          crm_id: l.crmId,
          content_hash: l.contentHash ?? null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'entity_type', 'entity_id', 'crm_object']).doUpdateSet((eb) => ({ crm_id: eb.ref('excluded.crm_id'), content_hash: eb.ref('excluded.content_hash'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}

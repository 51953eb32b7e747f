import type { Db } from './store.js';

/**
 * A connection's durable notes of creates whose outcome may be unknown (table
 * crm_create_notes). The shape is OutboundContext's `ledger`.
 */
export interface CreateNotes {
  note(key: string): Promise<void>;
  clear(key: string): Promise<void>;
  since(key: string): Promise<number | undefined>;
}

export function createNotes(db: Db, connectionId: string, clock: () => number = Date.now): CreateNotes {
  return {
    // A second note of the same key keeps the first time: the earliest attempt bounds the search.
    async note(key) {
      await db
        .insertInto('crm_create_notes')
        .values({ connection_id: connectionId, key, started_at: clock() })
        .onConflict((oc) => oc.columns(['connection_id', 'key']).doNothing())
        .execute();
    },
    async clear(key) {
      await db.deleteFrom('crm_create_notes').where('connection_id', '=', connectionId).where('key', '=', key).execute();
    },
    async since(key) {
      const row = await db.selectFrom('crm_create_notes').select('started_at').where('connection_id', '=', connectionId).where('key', '=', key).executeTakeFirst();
      return row ? Number(row.started_at) : undefined;
    },
  };
}

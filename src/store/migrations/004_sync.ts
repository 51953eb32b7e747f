import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * What each connection still has to sync. The outbox is per workspace; each connection reads
 * it from its own cursor into `sync_items`, one row per record, so ten updates of one client
 * between two syncs are one row (and one CRM write) at its newest version.
 */
export function sync(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema.alterTable('connections').addColumn('outbox_cursor', time, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('connections').addColumn('sync_lease_owner', 'text').execute();
      await db.schema.alterTable('connections').addColumn('sync_lease_expires_at', time).execute();
      await db.schema.alterTable('connections').addColumn('last_sync_at', time).execute();

      await db.schema
        .createTable('sync_items')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('pending_version', 'integer', (c) => c.notNull())
        .addColumn('synced_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('due_at', time, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('updated_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_items_pk', ['connection_id', 'entity_type', 'entity_id'])
        .execute();
      await db.schema.createIndex('sync_items_due').on('sync_items').columns(['connection_id', 'due_at']).execute();
    },
  };
}

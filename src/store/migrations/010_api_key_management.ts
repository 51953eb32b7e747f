import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Who created each API key and when it was last used, so an admin can tell which keys are
 * still in use before revoking one. Keys created before this migration have no creator
 * (null); the workspace's first key is created by `system`.
 */
export function apiKeyManagement(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
      await db.schema.alterTable('api_keys').addColumn('last_used_at', time).execute();
      // The admin page lists a workspace's keys.
      await db.schema.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id', 'created_at']).execute();
    },
  };
}

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * When a write of the item to the CRM began and has not been settled since. Set just before
 * the CRM call and cleared when the item settles, so a set value after a crash, a timeout or a
 * deferral means "an earlier attempt may have committed": only those records are looked up in
 * the CRM before creating, and the usual first attempt costs no read-back call.
 */
export function writeAttempts(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sync_items').addColumn('write_started_at', time).execute();
    },
  };
}

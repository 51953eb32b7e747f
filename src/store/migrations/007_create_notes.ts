import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Creates a connector is about to make, or made without learning the outcome (a timeout, a
 * 5xx, a crash), in CRMs that have no idempotency keys (Pipedrive). Noted before the call and
 * cleared once the outcome is certain, so whichever worker retries, after a crash or a lease
 * takeover, first looks for what the attempt may have saved.
 */
export function createNotes(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('crm_create_notes')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        // The connector's own key, e.g. pipedrive:persons:<client id>.
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('started_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('crm_create_notes_pk', ['connection_id', 'key'])
        .execute();
    },
  };
}

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Failed sign-ins counted per account and per client address, in the database so that every
 * process sees the same counts and locks (a counter in memory would reset per process).
 */
export function signInAttempts(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sign_in_attempts')
        // `account:<hash of the e-mail>` or `ip:<hash of the address>`: no typed e-mail is kept.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', time, (c) => c.notNull())
        .addColumn('locked_until', time)
        .execute();
    },
  };
}

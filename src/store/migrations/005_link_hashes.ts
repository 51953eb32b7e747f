import type { Kysely, Migration } from 'kysely';

/** What was written under a ledger key, so a grown day's chat note is updated rather than left stale. */
export function linkHashes(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema.alterTable('crm_links').addColumn('content_hash', 'text').execute();
    },
  };
}

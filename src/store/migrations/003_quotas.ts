import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The daily API quota of each CRM connection, counted in the database so that every worker
 * process spends from one budget (PRODUCT.md "Beyond the seeds"). One row per connection and
 * UTC day; old days are kept (a few bytes each) as a record of use.
 */
export function quotas(_dialect: Dialect): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('crm_quotas')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        // UTC yyyy-mm-dd: the vendors reset daily allocations at UTC midnight.
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull())
        .addColumn('limit', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('crm_quotas_pk', ['connection_id', 'day'])
        .execute();
    },
  };
}

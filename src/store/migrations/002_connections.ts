import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** CRM connections, the OAuth authorizations under way, and the admin UI's sign-in sessions. */
export function connections(dialect: Dialect): Migration {
  const json = dialect === 'postgres' ? sql`jsonb` : sql`text`;
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('crm', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('auth_method', 'text', (c) => c.notNull())
        .addColumn('target', json, (c) => c.notNull())
        .addColumn('settings', json, (c) => c.notNull())
        .addColumn('account_label', 'text')
        // Sealed by the vault (AES-256-GCM, bound to the connection id); null once disconnected.
        .addColumn('credentials', 'text')
        .addColumn('token_expires_at', time)
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', time)
        .addColumn('last_checked_at', time)
        .addColumn('connected_by', 'text', (c) => c.notNull())
        .addColumn('refresh_lease_owner', 'text')
        .addColumn('refresh_lease_expires_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addUniqueConstraint('connections_one_per_crm', ['workspace_id', 'crm'])
        .execute();

      await db.schema
        .createTable('oauth_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('crm', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('target', json, (c) => c.notNull())
        // The PKCE verifier, sealed by the vault.
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('return_to', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
    },
  };
}

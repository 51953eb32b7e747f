import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The first schema, written once for both engines; `t` hides their few differences. */
export function initial(dialect: Dialect): Migration {
  const t = {
    json: dialect === 'postgres' ? sql`jsonb` : sql`text`,
    time: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
    serial: dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const),
  };
  const serialId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();

  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('default_country', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('revoked_at', t.time)
        .execute();

      await db.schema
        .createTable('clients')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('company_name', 'text')
        .addColumn('company_id', 'text')
        .addColumn('owner_email', 'text')
        .addColumn('address', t.json)
        .addColumn('properties', t.json, (c) => c.notNull())
        .addColumn('body', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('clients_pk', ['workspace_id', 'id'])
        .execute();

      await db.schema
        .createTable('client_identities')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('client_identities_pk', ['workspace_id', 'client_id', 'kind', 'position'])
        .execute();
      await db.schema
        .createIndex('client_identities_by_value')
        .on('client_identities')
        .columns(['workspace_id', 'kind', 'value'])
        .execute();

      await db.schema
        .createTable('client_segments')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('segment', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('client_segments_pk', ['workspace_id', 'client_id', 'segment'])
        .execute();
      await db.schema.createIndex('client_segments_by_segment').on('client_segments').columns(['workspace_id', 'segment']).execute();

      await db.schema
        .createTable('companies')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('domain', 'text')
        .addColumn('external_account_id', 'text')
        .addColumn('body', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('companies_pk', ['workspace_id', 'id'])
        .execute();

      await db.schema
        .createTable('conversations')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text')
        .addColumn('is_group', 'integer', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('url', 'text')
        .addColumn('started_at', t.time)
        .addColumn('ended_at', t.time)
        .addColumn('qualification_status', 'text')
        .addColumn('qualification_provisional', 'integer', (c) => c.notNull())
        .addColumn('qualification_score', 'real')
        .addColumn('body', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('conversations_pk', ['workspace_id', 'id'])
        .execute();

      await db.schema
        .createTable('conversation_participants')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_participants_pk', ['workspace_id', 'conversation_id', 'position'])
        .execute();
      await db.schema
        .createIndex('conversation_participants_by_value')
        .on('conversation_participants')
        .columns(['workspace_id', 'kind', 'value'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('author', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sent_at', t.time, (c) => c.notNull())
        .addColumn('attachments', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['workspace_id', 'conversation_id', 'id'])
        .execute();

      await db.schema
        .createTable('analyses')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .addColumn('key_notes', t.json, (c) => c.notNull())
        .addColumn('commitments', t.json, (c) => c.notNull())
        .addColumn('specific_fields', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('analyses_pk', ['workspace_id', 'conversation_id'])
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', t.serial, serialId)
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('available_at', t.time, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', t.time)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('processed_at', t.time)
        .execute();
      await db.schema
        .createIndex('outbox_pending')
        .on('outbox')
        .columns(['workspace_id', 'processed_at', 'available_at'])
        .execute();

      await db.schema
        .createTable('crm_links')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('crm_object', 'text', (c) => c.notNull())
        .addColumn('crm_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('crm_links_pk', ['connection_id', 'entity_type', 'entity_id', 'crm_object'])
        .execute();
      await db.schema.createIndex('crm_links_by_crm_id').on('crm_links').columns(['connection_id', 'crm_object', 'crm_id']).execute();

      await db.schema
        .createTable('sync_logs')
        .addColumn('id', t.serial, serialId)
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text')
        .addColumn('crm', 'text')
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text')
        .addColumn('entity_id', 'text')
        .addColumn('client_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('crm_record_id', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('action', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_logs_by_time').on('sync_logs').columns(['workspace_id', 'created_at']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', t.serial, serialId)
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('details', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
    },
  };
}

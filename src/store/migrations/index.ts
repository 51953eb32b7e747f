import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import { initial } from './001_initial.js';
import { connections } from './002_connections.js';
import { quotas } from './003_quotas.js';
import { sync } from './004_sync.js';
import { linkHashes } from './005_link_hashes.js';
import { deals } from './006_deals.js';
import { createNotes } from './007_create_notes.js';
import { writeAttempts } from './008_write_attempts.js';
import { signInAttempts } from './009_sign_in_attempts.js';
import { apiKeyManagement } from './010_api_key_management.js';
import { oauthStateSessions } from './011_oauth_state_sessions.js';

/** Migrations in order; names never change once released. */
export function migrations(dialect: Dialect): MigrationProvider {
  const all: Record<string, Migration> = {
    '001_initial': initial(dialect),
    '002_connections': connections(dialect),
    '003_quotas': quotas(dialect),
    '004_sync': sync(dialect),
    '005_link_hashes': linkHashes(),
    '006_deals': deals(dialect),
    '007_create_notes': createNotes(dialect),
    '008_write_attempts': writeAttempts(dialect),
    '009_sign_in_attempts': signInAttempts(dialect),
    '010_api_key_management': apiKeyManagement(dialect),
    '011_oauth_state_sessions': oauthStateSessions(),
  };
  return { getMigrations: async () => all };
}

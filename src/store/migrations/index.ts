import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import { initial } from './001_initial.js';
import { connections } from './002_connections.js';
import { quotas } from './003_quotas.js';
import { sync } from './004_sync.js';
import { linkHashes } from './005_link_hashes.js';
import { createNotes } from './007_create_notes.js';

/** Migrations in order; names never change once released. */
export function migrations(dialect: Dialect): MigrationProvider {
  const all: Record<string, Migration> = {
    '001_initial': initial(dialect),
    '002_connections': connections(dialect),
    '003_quotas': quotas(dialect),
    '004_sync': sync(dialect),
    '005_link_hashes': linkHashes(),
    '007_create_notes': createNotes(dialect),
  };
  return { getMigrations: async () => all };
}

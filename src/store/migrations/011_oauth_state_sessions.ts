import type { Kysely, Migration } from 'kysely';

/**
 * The browser session an OAuth authorization was started from (the hash of its token), so that
 * only that browser can finish it; null when an API key started it (then any session of the
 * workspace allowed to connect CRMs may finish it).
 */
export function oauthStateSessions(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
    async up(db: Kysely<any>) {
      await db.schema.alterTable('oauth_states').addColumn('session_hash', 'text').execute();
    },
  };
}

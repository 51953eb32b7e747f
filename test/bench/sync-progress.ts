import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { BenchDatabase } from './databases.js';

export interface ItemStates {
  /** Items with a version the CRM does not have yet (pending_version > synced_version). */
  waiting: number;
  synced: number;
  skipped: number;
  failed: number;
}

const SQL = `select count(*) filter (where pending_version > synced_version) as waiting,
  count(*) filter (where pending_version <= synced_version and state = 'synced') as synced,
  count(*) filter (where pending_version <= synced_version and state = 'skipped') as skipped,
  count(*) filter (where pending_version <= synced_version and state = 'failed') as failed
  from sync_items where connection_id = $1`;

const FAILURE = `select last_error from sync_items where connection_id = $1 and state = 'failed' limit 1`;

/** The server's sync items, read by the bench beside it: read-only on SQLite, one small pool on PostgreSQL. */
export class SyncProgress {
  private constructor(
    private readonly read: (connectionId: string) => Promise<Record<keyof ItemStates, unknown>>,
    private readonly readFailure: (connectionId: string) => Promise<unknown>,
    readonly close: () => Promise<void>,
  ) {}

  static open(db: BenchDatabase): SyncProgress {
    if (db.store.databaseUrl) {
      const pool = new pg.Pool({ connectionString: db.store.databaseUrl, max: 1 });
      return new SyncProgress(
        async (id) => (await pool.query(SQL, [id])).rows[0],
        async (id) => (await pool.query(FAILURE, [id])).rows[0]?.last_error,
        () => pool.end(),
      );
    }
    const sqlite = new SqliteDatabase(join(db.store.dataDir!, 'crm-sync.sqlite'), { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 10000');
    const statement = sqlite.prepare(SQL.replace('$1', '?'));
    const failure = sqlite.prepare(FAILURE.replace('$1', '?'));
    return new SyncProgress(
      async (id) => statement.get(id) as Record<keyof ItemStates, unknown>,
      async (id) => (failure.get(id) as { last_error?: unknown } | undefined)?.last_error,
      async () => void sqlite.close(),
    );
  }

  /** The error of one failed item, to name what went wrong. */
  async firstFailure(connectionId: string): Promise<string | undefined> {
    const r = await this.readFailure(connectionId);
    return r ? String(r) : undefined;
  }

  async states(connectionId: string): Promise<ItemStates> {
    const r = await this.read(connectionId);
    return { waiting: Number(r.waiting), synced: Number(r.synced), skipped: Number(r.skipped), failed: Number(r.failed) };
  }
}

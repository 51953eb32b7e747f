import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database> | Kysely<Database>;

export interface StoreOptions {
  /** postgres://... ; when absent, SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
}

/**
 * The database: Kysely over better-sqlite3 (embedded default) or PostgreSQL. Writes go
 * through `write`, which takes SQLite's write lock up front (BEGIN IMMEDIATE) so that two
 * processes sharing the file wait for each other instead of failing mid-transaction.
 */
export class Store {
  private readonly outboxListeners = new Set<() => void>();

  private constructor(
    readonly db: Db,
    readonly dialect: Dialect,
    readonly location: string,
  ) {}

  static open(options: StoreOptions): Store {
    if (options.databaseUrl) {
      const pool = new pg.Pool({
        connectionString: options.databaseUrl,
        max: 10,
        // Epoch-millisecond columns are bigint; they fit a JS number for the next 285,000 years.
        types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) },
      } as pg.PoolConfig);
      // An idle connection the server drops (a restart, a failover) emits 'error' on the pool;
      // unheard, it would end the process. The pool discards that client and opens a new one.
      pool.on('error', () => {});
      return new Store(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres', redactUrl(options.databaseUrl));
    }
    const file = options.sqliteFile ?? 'crm-sync.sqlite';
    let path = file;
    if (file !== ':memory:') {
      const dir = options.dataDir ?? './data';
      // The database holds hashes, sealed credentials and personal data: owner only. An
      // existing directory keeps its mode (it may be the operator's own).
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      path = join(dir, file);
      // Created 0600 before SQLite opens it, and tightened if an older release left it 0644:
      // SQLite gives the -wal and -shm files the database file's mode.
      closeSync(openSync(path, 'a', 0o600));
      for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    }
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('foreign_keys = ON');
    return new Store(new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), 'sqlite', path);
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrations(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /**
   * Runs `fn` in one write transaction; everything in it commits together or not at all. When
   * it enqueued outbox rows, the outbox listeners hear of it once it has committed.
   */
  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let enqueued = false;
    const result = await this.transact(async (tx) => {
      try {
        return await fn(tx);
      } finally {
        enqueued = outboxWrittenIn.delete(tx);
      }
    });
    if (enqueued) this.notifyOutbox();
    return result;
  }

  /**
   * Calls `listener` after each write transaction of this store that enqueued outbox rows has
   * committed, whatever wrote it; returns the function that unsubscribes. The sync worker
   * listens so a change is synced at once rather than at its next poll.
   */
  onOutboxCommit(listener: () => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  private notifyOutbox(): void {
    for (const listener of this.outboxListeners) {
      try {
        listener();
      } catch {
        // The write has committed and must report so; a wake-up that failed costs only the
        // wait for the worker's poll.
      }
    }
  }

  private async transact<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn);
        throw err;
      }
    });
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** The transactions of `Store.write` that enqueued outbox rows, until they end. */
const outboxWrittenIn = new WeakSet<Tx>();

/**
 * Marks `tx` as having enqueued outbox rows, so its store tells the outbox listeners once it
 * commits. Rows enqueued outside `Store.write` are found by the worker's poll instead.
 */
export function noteOutboxWrite(tx: Tx): void {
  outboxWrittenIn.add(tx);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares a new statement for every query; preparing costs more than running most of
 * ours. The same SQL text (our queries have a few hundred shapes) reuses its statement.
 */
function withStatementCache(db: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return (source: string) => {
        let stmt = cache.get(source);
        if (!stmt) {
          stmt = prepare(source);
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
          cache.set(source, stmt);
        }
        return stmt;
      };
    },
  });
}

/** JSON columns come back as text from SQLite and parsed from PostgreSQL's jsonb. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreOptions } from '../../src/store/store.js';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  /** The environment for the server and the CLI. */
  env: NodeJS.ProcessEnv;
  /** For the bench itself to count what arrived. */
  store: StoreOptions;
  drop(): Promise<void>;
}

export function postgresAdminUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

/** A fresh SQLite data dir, or a fresh PostgreSQL database, for one run; dropped afterwards. */
export async function createBenchDatabase(dialect: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-bench-'));
  const { DATABASE_URL: _ignored, CRM_SYNC_SECRET_KEY: _key, ...base } = process.env;
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return { dialect, env: { ...base, CRM_SYNC_DATA_DIR: dataDir }, store: { dataDir }, drop: async () => removeDir() };
  }
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error('set BENCH_DATABASE_URL or TEST_DATABASE_URL to benchmark PostgreSQL');
  const name = `crm_sync_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    dialect,
    env: { ...base, CRM_SYNC_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, CRM_SYNC_SECRET_KEY: randomBytes(32).toString('hex') },
    store: { databaseUrl },
    drop: async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      removeDir();
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('config', () => {
  it('has working defaults for the embedded mode', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', databaseUrl: undefined, logLevel: 'info', sandboxEnabled: true, publicUrl: 'http://localhost:3000' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every bad variable together', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', PUBLIC_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'PUBLIC_URL']) expect(problems).toContain(name);
  });

  it('requires a shared secret key with PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/db' })).toThrow(/CRM_SYNC_SECRET_KEY is required/);
    const c = loadConfig({ DATABASE_URL: 'postgres://localhost/db', CRM_SYNC_SECRET_KEY: 'ab'.repeat(32) });
    expect(c.secretKey?.length).toBe(32);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => loadConfig({ CRM_SYNC_SECRET_KEY: 'short' })).toThrow(/CRM_SYNC_SECRET_KEY must be 32 bytes/);
  });
});

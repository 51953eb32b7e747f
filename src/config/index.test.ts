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

  it.each([
    [{}, true], // npm start: the demo
    [{ PUBLIC_URL: 'http://localhost:3000' }, true],
    [{ PUBLIC_URL: 'http://127.0.0.1:8080' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ PUBLIC_URL: 'https://crm-sync.acme.example' }, false],
    [{ PUBLIC_URL: 'http://crm-sync.internal:3000' }, false],
    [{ NODE_ENV: 'production', CRM_SYNC_SANDBOX: '1' }, true], // an explicit choice wins
    [{ PUBLIC_URL: 'https://crm-sync.acme.example', CRM_SYNC_SANDBOX: 'on' }, true],
    [{ CRM_SYNC_SANDBOX: '0' }, false],
  ])('mounts the sandbox by default only for a local, non-production server: %j -> %s', (env, mounted) => {
    expect(loadConfig(env).sandboxEnabled).toBe(mounted);
  });

  it('reads the other sandboxes connections may point at from CRM_SYNC_SANDBOX_URL, as origins', () => {
    expect(loadConfig({}).sandboxUrls).toEqual([]);
    expect(loadConfig({ CRM_SYNC_SANDBOX_URL: 'http://127.0.0.1:4010/, http://localhost:4011/sandbox' }).sandboxUrls).toEqual(['http://127.0.0.1:4010', 'http://localhost:4011']);
    expect(() => loadConfig({ CRM_SYNC_SANDBOX_URL: 'ftp://127.0.0.1' })).toThrow(/CRM_SYNC_SANDBOX_URL/);
  });

  it('reads the HTTP server limits, with defaults, and keeps the headers timeout within the request timeout', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 60_000,
      headersTimeoutMs: 10_000,
      connectionTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      maxRequestsPerSocket: 1_000,
      maxConnections: 1_000,
      maxInflightBodyMiB: 48,
    });
    expect(loadConfig({ CRM_SYNC_REQUEST_TIMEOUT_MS: '5000', CRM_SYNC_MAX_CONNECTIONS: '10' }).http).toMatchObject({ requestTimeoutMs: 5_000, headersTimeoutMs: 5_000, maxConnections: 10 });
    expect(() => loadConfig({ CRM_SYNC_REQUEST_TIMEOUT_MS: '1000', CRM_SYNC_HEADERS_TIMEOUT_MS: '2000' })).toThrow(/CRM_SYNC_HEADERS_TIMEOUT_MS must not be longer/);
    expect(() => loadConfig({ CRM_SYNC_MAX_CONNECTIONS: '0' })).toThrow(/CRM_SYNC_MAX_CONNECTIONS/);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CACHE_MS } from '../../src/http/auth.js';
import { until } from '../support/until.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

describe('crm-sync CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-cli-'));
  const env = { ...process.env, CRM_SYNC_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', CRM_SYNC_SECRET_KEY: '', CRM_SYNC_DEMO: '0' };
  let server: ReturnType<typeof spawn>;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [...CLI, 'serve'], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('server did not become healthy');
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a workspace while the server runs on the same data directory, and its key works', async () => {
    const out = spawnSync(process.execPath, [...CLI, 'workspace', 'create', 'Acme Sales', '--json', '--country', 'ES'], { env, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const created = JSON.parse(out.stdout);
    expect(Object.keys(created).sort()).toEqual(['adminEmail', 'adminPassword', 'apiKey', 'workspaceId']);
    const res = await fetch(`${base}/v1/clients/c-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${created.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phones: ['600 111 222'] }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { client: { phones: { value: string }[] } }).client.phones[0]?.value).toBe('+34600111222');
  });

  it('manages API keys with `api-keys`: a created key works on the running server; rotated and revoked keys stop within KEY_CACHE_MS', async () => {
    const cli = (...a: string[]) => spawnSync(process.execPath, [...CLI, ...a], { env, encoding: 'utf8' });
    const ws = JSON.parse(cli('workspace', 'create', 'Keys Co', '--json').stdout) as { workspaceId: string };
    const put = (key: string) =>
      fetch(`${base}/v1/clients/k-1`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ emails: ['k@example.com'] }) });
    const connections = (key: string) => fetch(`${base}/v1/connections`, { headers: { authorization: `Bearer ${key}` } });

    const bad = cli('api-keys', 'create', 'Feed', '--workspace', ws.workspaceId, '--scopes', 'root');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--scopes [0]');
    const out = cli('api-keys', 'create', 'Platform', 'feed', '--workspace', ws.workspaceId, '--scopes', 'ingest', '--json');
    expect(out.status, out.stderr).toBe(0);
    const feed = JSON.parse(out.stdout) as { id: string; key: string; name: string; scopes: string[]; createdBy: string };
    expect(feed).toMatchObject({ name: 'Platform feed', scopes: ['ingest'], createdBy: 'cli' });
    expect((await put(feed.key)).status).toBeLessThan(300);
    expect((await connections(feed.key)).status).toBe(403);

    const list = cli('api-keys', 'list', '--workspace', ws.workspaceId);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${feed.id}  Platform feed  [ingest]  active`);
    expect(list.stdout).not.toContain(feed.key);

    const rotated = cli('api-keys', 'rotate', feed.id, '--workspace', ws.workspaceId, '--json');
    expect(rotated.status, rotated.stderr).toBe(0);
    const next = JSON.parse(rotated.stdout) as { id: string; key: string };
    expect((await put(next.key)).status).toBeLessThan(300);
    await until('the server to refuse the rotated key', async () => ((await put(feed.key)).status === 401 ? true : undefined), KEY_CACHE_MS + 2_000);

    const nextId = next.id;
    expect(cli('api-keys', 'revoke', nextId, '--workspace', ws.workspaceId).status).toBe(0);
    await until('the server to refuse the revoked key', async () => ((await put(next.key)).status === 401 ? true : undefined), KEY_CACHE_MS + 2_000);
    const again = cli('api-keys', 'rotate', nextId, '--workspace', ws.workspaceId);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('is revoked or already rotated');
  }, 120_000);

  it('still re-seals the vault with `keys rotate`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-sync-cli-vault-'));
    try {
      const out = spawnSync(process.execPath, [...CLI, 'keys', 'rotate'], { env: { ...env, CRM_SYNC_DATA_DIR: dir }, encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^re-sealed 0 credential\(s\) with key /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('generated the credential key once, readable by its owner only', () => {
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('reports every bad environment variable and exits non-zero', () => {
    const out = spawnSync(process.execPath, [...CLI, 'migrate'], { env: { ...env, PORT: 'x', LOG_LEVEL: 'loud' }, encoding: 'utf8' });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('PORT');
    expect(out.stderr).toContain('LOG_LEVEL');
  });

  it('explains a wrong command', () => {
    const out = spawnSync(process.execPath, [...CLI, 'frobnicate'], { env, encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('unknown command "frobnicate"');
  });
});

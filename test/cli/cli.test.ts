import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logging.js';
import { Store } from '../../src/store/store.js';
import { buildApp } from '../../src/http/app.js';
import { testAppDeps } from '../support/app.js';
import { openTestStore } from '../support/stores.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('secret hygiene', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-sync-hygiene-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  /** `crm-sync serve` in this process on a fresh data dir; returns what it printed. */
  async function serve(env: Record<string, string>): Promise<{ printed: string; dataDir: string; workspaces: number }> {
    const dataDir = join(root, 'data');
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const server = await startServer(loadConfig({ PORT: '0', CRM_SYNC_DATA_DIR: dataDir, CRM_SYNC_SANDBOX: '0', LOG_LEVEL: 'silent', ...env }));
    try {
      const row = await server.store.db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      // While the server runs, so the -wal and -shm files exist.
      return { printed: printed.join(''), dataDir, workspaces: Number(row.n) };
    } finally {
      vi.restoreAllMocks();
      await server.close();
    }
  }

  it('with CRM_SYNC_DEMO=0 creates no demo workspace and prints no credentials', async () => {
    const off = await serve({ CRM_SYNC_DEMO: '0' });
    expect(off.printed).not.toMatch(/Password:|API key:/);
    expect(off.workspaces).toBe(0);
  });

  it('with the demo on, prints its sign-in once', async () => {
    const on = await serve({ CRM_SYNC_DEMO: '1' });
    expect(on.printed).toMatch(/Password: +\S+/);
    expect(on.workspaces).toBe(1);
  });

  it('creates the data dir 0700 and the SQLite file, its -wal and -shm 0600, beside secret.key', async () => {
    const dataDir = join(root, 'data');
    let modes: Record<string, number>;
    const server = await startServer(loadConfig({ PORT: '0', CRM_SYNC_DATA_DIR: dataDir, CRM_SYNC_SANDBOX: '0', CRM_SYNC_DEMO: '0', LOG_LEVEL: 'silent' }));
    try {
      await server.store.db.insertInto('workspaces').values({ id: 'w1', name: 'W', default_country: 'ES', created_at: Date.now() }).execute();
      const files = ['crm-sync.sqlite', 'crm-sync.sqlite-wal', 'crm-sync.sqlite-shm', 'secret.key'];
      for (const f of files) expect(existsSync(join(dataDir, f)), f).toBe(true);
      modes = Object.fromEntries([['.', mode(dataDir)], ...files.map((f) => [f, mode(join(dataDir, f))])]);
    } finally {
      await server.close();
    }
    expect(modes).toEqual({ '.': 0o700, 'crm-sync.sqlite': 0o600, 'crm-sync.sqlite-wal': 0o600, 'crm-sync.sqlite-shm': 0o600, 'secret.key': 0o600 });
  });

  it('tightens a database file an older release left readable by others', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'crm-sync.sqlite'), '');
    chmodSync(join(dataDir, 'crm-sync.sqlite'), 0o644);
    const store = Store.open({ dataDir });
    await store.migrate();
    await store.close();
    expect(mode(join(dataDir, 'crm-sync.sqlite'))).toBe(0o600);
  });

  it('keeps OAuth codes, states and secret-like query parameters out of the request log', async () => {
    const t = await openTestStore('sqlite');
    const lines: string[] = [];
    const app = await buildApp({ ...testAppDeps(t.store), logger: createLogger('info', { write: (l: string) => void lines.push(l) }) });
    try {
      await app.inject({ method: 'GET', url: '/v1/oauth/callback?code=CODE-1234567890&state=STATE-1234567890' });
      await app.inject({ method: 'GET', url: '/v1/health?access_token=AT-1234567890&api_key=KEY-1234567890&client_secret=CS-1234567890&password=PW-1234567890&x=visible' });
      const log = lines.join('');
      expect(log).toContain('/v1/oauth/callback');
      expect(log).toContain('x=visible');
      for (const secret of ['CODE-', 'STATE-', 'AT-', 'KEY-', 'CS-', 'PW-']) expect(log, secret).not.toContain(`${secret}1234567890`);
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/connectors/types.js';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

async function api(s: TestServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id: string } };
}

async function tokenRequests(s: TestServer, crm: string): Promise<number> {
  const stats = (await (await fetch(`${s.origin}/sandbox/__control/stats`)).json()) as Record<string, { tokenRequests: number }>;
  return stats[crm]!.tokenRequests;
}

/** Every byte the store holds: the SQLite files (with the WAL), or every row of every table as text. */
async function storeBytes(s: TestServer): Promise<string> {
  if (s.t.location.dataDir) {
    return readdirSync(s.t.location.dataDir)
      .map((f) => readFileSync(join(s.t.location.dataDir!, f)).toString('latin1'))
      .join('\n');
  }
  const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(s.t.store.db);
  const dumps: string[] = [];
  for (const { tablename } of tables.rows) {
    const rows = await sql.raw<{ t: string }>(`select t::text as t from "${tablename}" t`).execute(s.t.store.db);
    dumps.push(...rows.rows.map((r) => r.t));
  }
  return dumps.join('\n');
}

describe.each(TEST_DIALECTS)('credentials at rest and token refresh on %s', (dialect) => {
  let s: TestServer;
  const secrets: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer(dialect);
  }, 60_000);
  afterAll(() => s.close());

  it('connects all seven CRMs', async () => {
    const acct = (crm: Parameters<TestServer['account']>[0]) => s.account(crm);
    const hub = await acct('hubspot');
    const pipe = await acct('pipedrive');
    const odoo = await acct('odoo');
    const auto = await acct('autochat');
    const sf = await acct('salesforce');
    const dyn = await acct('dynamics');
    const created = [
      await api(s, 'POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: hub.credentials.privateAppToken }, baseUrl: s.sandboxUrl('hubspot') }),
      await api(s, 'POST', '/v1/connections', { crm: 'pipedrive', auth: { method: 'api_key', apiKey: pipe.credentials.apiToken }, baseUrl: s.sandboxUrl('pipedrive') }),
      await api(s, 'POST', '/v1/connections', {
        crm: 'odoo',
        auth: { method: 'api_key', apiKey: odoo.credentials.api_key, database: odoo.credentials.database, username: odoo.credentials.login, url: s.sandboxUrl('odoo') },
        baseUrl: s.sandboxUrl('odoo'),
      }),
      await api(s, 'POST', '/v1/connections', { crm: 'autochat', auth: { method: 'api_key', apiKey: auto.credentials.apiKey }, baseUrl: s.sandboxUrl('autochat'), instanceUrl: s.sandboxUrl('autochat') }),
      await api(s, 'POST', '/v1/connections', {
        crm: 'salesforce',
        auth: { method: 'service', clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, instanceUrl: s.sandboxUrl('salesforce') },
        baseUrl: s.sandboxUrl('salesforce'),
      }),
      await api(s, 'POST', '/v1/connections', {
        crm: 'dynamics',
        auth: { method: 'service', clientId: dyn.credentials.clientId, clientSecret: dyn.credentials.clientSecret, instanceUrl: s.sandboxUrl('dynamics'), tenantId: dyn.credentials.tenantId },
        baseUrl: s.sandboxUrl('dynamics'),
      }),
    ];
    for (const c of created) expect(c.status, JSON.stringify(c.body)).toBe(201);
    const back = await approveOAuth(s, 'zoho', { baseUrl: s.sandboxUrl('zoho'), region: 'eu' });
    expect(back.searchParams.get('status'), back.searchParams.get('message') ?? '').toBe('connected');

    const list = (await api(s, 'GET', '/v1/connections')).body as unknown as { id: string; crm: string; status: string }[];
    expect(list.map((c) => `${c.crm}:${c.status}`).sort()).toEqual(
      ['autochat', 'dynamics', 'hubspot', 'odoo', 'pipedrive', 'salesforce', 'zoho'].map((c) => `${c}:connected`),
    );
    for (const c of list) ids[c.crm] = c.id;

    // Every secret now held: what the admin typed and what the CRMs issued.
    const rows = await s.t.store.db.selectFrom('connections').select(['id', 'credentials']).execute();
    for (const r of rows) {
      const c = s.vault.openJson<Credentials>(r.credentials!, r.id);
      if (c.method === 'api_key') secrets.push(c.apiKey);
      if (c.method === 'oauth') secrets.push(c.accessToken, ...(c.refreshToken ? [c.refreshToken] : []));
      if (c.method === 'service') secrets.push(c.clientSecret, ...(c.accessToken ? [c.accessToken] : []));
    }
    expect(secrets.length).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it('holds no secret in clear: not in the database, not in any API response, not in the logs', async () => {
    const bytes = await storeBytes(s);
    const responses = JSON.stringify([(await api(s, 'GET', '/v1/connections')).body]);
    const logs = s.logs.join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(bytes.includes(secret), `database holds ${secret.slice(0, 6)}…`).toBe(false);
      expect(responses.includes(secret)).toBe(false);
      expect(logs.includes(secret), `logs hold ${secret.slice(0, 6)}…`).toBe(false);
    }
    // The logs did see the requests that carried them (so the check above had something to check).
    expect(logs).toContain('/v1/connections');
  });

  it('makes one token request for 50 concurrent calls with an expired token from two processes', async () => {
    const id = ids.zoho!;
    await s.t.store.db.updateTable('connections').set({ token_expires_at: Date.now() - 1_000 }).where('id', '=', id).execute();
    const before = await tokenRequests(s, 'zoho');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/connections/refresh-worker.ts'], {
      env: {
        ...process.env,
        DATA_DIR: s.t.location.dataDir ?? '',
        DATABASE_URL: s.t.location.databaseUrl ?? '',
        SECRET_KEY_HEX: s.secretKey.toString('hex'),
        CONNECTION_ID: id,
        CALLS: '25',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const wait = () => (out.includes('ready') ? resolve() : setTimeout(wait, 20));
      wait();
    });
    child.stdin.write('go\n');
    const here = await Promise.all(Array.from({ length: 25 }, () => s.app.connections.tokens.credentials(id)));
    await new Promise((r) => child.once('exit', r));
    const there = JSON.parse(out.slice(out.indexOf('['))) as string[];
    const tokens = new Set([...here.map((c) => (c.method === 'oauth' ? c.accessToken : '')), ...there]);
    expect(there).toHaveLength(25);
    expect(await tokenRequests(s, 'zoho')).toBe(before + 1);
    expect(tokens.size).toBe(1);
  }, 60_000);

  it('marks a revoked grant needs_reconnect once, logs it, and stops asking the CRM', async () => {
    const id = ids.zoho!;
    const row = await s.t.store.db.selectFrom('connections').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
    const creds = s.vault.openJson<Credentials & { method: 'oauth' }>(row.credentials!, id);
    const zoho = await s.account('zoho');
    const revokeUrl = `${s.sandboxUrl('zoho')}/accounts/eu/oauth/v2/token/revoke?token=${encodeURIComponent(creds.refreshToken!)}`;
    const revoked = await fetch(revokeUrl, { method: 'POST' });
    expect(revoked.status, JSON.stringify(zoho).slice(0, 0)).toBeLessThan(300);
    await fetch(`${s.origin}/sandbox/__control/expire-tokens?crm=zoho`, { method: 'POST' });

    const tested = await api(s, 'POST', `/v1/connections/${id}/test`);
    expect(tested.body.status).toBe('needs_reconnect');
    expect(String(tested.body.lastError)).toMatch(/Zoho CRM refused the grant|Reconnect/);
    const audit = await s.t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'connection.needs_reconnect').execute();
    expect(audit).toHaveLength(1);
    const logs = await s.t.store.db.selectFrom('sync_logs').selectAll().where('operation', '=', 'refresh_token').execute();
    expect(logs.map((l) => [l.status, l.connection_id])).toEqual([['failed', id]]);
    expect(logs[0]!.action).toMatch(/Reconnect Zoho CRM/);

    const before = await tokenRequests(s, 'zoho');
    await expect(s.app.connections.tokens.credentials(id)).rejects.toThrow(/needs to be reconnected/);
    const again = await api(s, 'POST', `/v1/connections/${id}/test`);
    expect(again.body.status).toBe('needs_reconnect');
    expect(await tokenRequests(s, 'zoho')).toBe(before);
  });
});

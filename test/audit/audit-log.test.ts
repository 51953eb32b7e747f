import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/auth/api-keys.js';
import { CrmSyncClient, type AuditEntryView } from '../../src/client/index.js';
import { addUser } from '../../src/workspaces/users.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { signInBrowser, startTestServer, type Browser, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

interface Page {
  items: AuditEntryView[];
  nextCursor: string | null;
}

describe.each(TEST_DIALECTS)('GET /v1/audit on %s', (dialect) => {
  let s: TestServer;
  let owner: Browser;
  let settingsAdmin: Browser;
  let member: Browser;
  let connectionId: string;
  let keyId: string;
  let connectedAt: number;

  const audit = async (query: string, headers: Record<string, string> = s.auth) => {
    const res = await fetch(`${s.origin}/v1/audit${query ? `?${query}` : ''}`, { headers });
    return { status: res.status, body: (await res.json()) as Page & { error?: { message: string } } };
  };
  const actions = (p: Page) => p.items.map((i) => i.action);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    keyId = parseApiKey(s.workspace.apiKey)!.id;
    owner = await signInBrowser(s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
    const a = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'Admin@Acme.io', role: 'settings_admin', actor: `user:${await ownerId()}` });
    settingsAdmin = await signInBrowser(s.origin, a.email, a.password);
    const m = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@acme.io', role: 'member' });
    member = await signInBrowser(s.origin, m.email, m.password);
    // Another workspace's changes, which this one must never see.
    await createWorkspace(s.t.store, { name: 'Other' });

    // The owner connects HubSpot in the browser; the admin API key changes a setting.
    connectedAt = Date.now();
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const res = await fetch(`${s.origin}/v1/connections`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') }),
    });
    expect(res.status).toBe(201);
    connectionId = ((await res.json()) as { id: string }).id;
    expect((await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { updateIntervalMinutes: 30 } })).status).toBe(200);
    expect((await s.api('POST', '/v1/api-keys', { name: 'Platform ingest', scopes: ['ingest'] })).status).toBe(201);
  }, 60_000);
  afterAll(() => s.close());

  async function ownerId(): Promise<string> {
    const u = await s.t.store.db.selectFrom('users').select('id').where('email', '=', s.workspace.adminEmail).executeTakeFirstOrThrow();
    return u.id;
  }

  it('shows the workspace’s changes newest first, with readable actors, and nothing of another workspace', async () => {
    const { status, body } = await audit('');
    expect(status).toBe(200);
    expect(actions(body)).toEqual(['api_key.created', 'connection.settings_changed', 'connection.connected', 'user.added', 'user.added', 'workspace.created']);
    const [created, changed, connected, member, admin, workspace] = body.items;
    expect(connected).toMatchObject({ actor: `user:${await ownerId()}`, actorName: s.workspace.adminEmail, target: connectionId, details: { crm: 'hubspot' } });
    expect(changed).toMatchObject({ actor: `api_key:${keyId}`, actorName: 'API key “default”', target: connectionId, details: { changed: ['updateIntervalMinutes'] } });
    expect(created!.details).toMatchObject({ name: 'Platform ingest', scopes: ['ingest'] });
    expect(admin).toMatchObject({ actorName: s.workspace.adminEmail, details: { email: 'admin@acme.io', role: 'settings_admin' } });
    expect(member).toMatchObject({ actor: 'system', actorName: 'system' });
    expect(workspace!.target).toBe(s.workspace.workspaceId);
    expect(new Date(connected!.time).getTime()).toBeGreaterThanOrEqual(connectedAt - 1);
    expect(body.nextCursor).toBeNull();
    expect(JSON.stringify(body)).not.toContain('Other');
  });

  it('filters by connection, actor (id or e-mail), action and time range', async () => {
    expect(actions((await audit(`connectionId=${connectionId}`)).body)).toEqual(['connection.settings_changed', 'connection.connected']);
    expect(actions((await audit(`actor=${encodeURIComponent(s.workspace.adminEmail.toUpperCase())}`)).body)).toEqual(['connection.connected', 'user.added']);
    expect(actions((await audit(`actor=api_key:${keyId}`)).body)).toEqual(['api_key.created', 'connection.settings_changed']);
    expect(actions((await audit('action=user.added')).body)).toEqual(['user.added', 'user.added']);
    const all = (await audit('')).body.items;
    const at = all.find((i) => i.action === 'connection.connected')!.time;
    expect(actions((await audit(`from=${encodeURIComponent(at)}&connectionId=${connectionId}`)).body)).toEqual(['connection.settings_changed', 'connection.connected']);
    expect(actions((await audit(`to=${encodeURIComponent(at)}&connectionId=${connectionId}`)).body)).toEqual([]);
    expect((await audit('from=yesterday')).status).toBe(400);
    expect((await audit('cursor=abc')).status).toBe(400);
  });

  it('pages with a cursor, each entry once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { body }: { body: Page } = await audit(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual((await audit('')).body.items.map((i) => i.id));
  });

  it('is read by the owner, Settings Admins and admin keys; not by members, ingest keys or strangers', async () => {
    expect((await audit('', { cookie: owner.cookie })).status).toBe(200);
    expect((await audit('', { cookie: settingsAdmin.cookie })).status).toBe(200);
    const refused = await audit('', { cookie: member.cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.error!.message).toMatch(/owner or a Settings Admin/);
    const ingest = await s.api('POST', '/v1/api-keys', { name: 'Feed', scopes: ['ingest'] });
    expect((await audit('', { authorization: `Bearer ${String(ingest.body.key)}` })).status).toBe(403);
    expect((await audit('', {})).status).toBe(401);
  });

  it('is in the typed client', async () => {
    const client = new CrmSyncClient({ baseUrl: s.origin, apiKey: s.workspace.apiKey });
    const page = await client.listAudit({ connectionId, limit: 1 });
    expect(page.items.map((i) => i.action)).toEqual(['connection.settings_changed']);
    const next = await client.listAudit({ connectionId, limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((i) => i.action)).toEqual(['connection.connected']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveOAuth, signInBrowser, startOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

describe.each(TEST_DIALECTS)('connecting HubSpot on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s.close());

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('refuses a wrong private app token, naming what HubSpot refused, and stores nothing', async () => {
    const res = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: 'pat-na1-wrong' }, baseUrl: s.sandboxUrl('hubspot') });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('credentials_refused');
    expect(error.message).toMatch(/HubSpot refused the credentials/);
    expect(await (await api('GET', '/v1/connections')).json()).toEqual([]);
  });

  it('connects with a private app token, never returns it, and refuses a second HubSpot connection', async () => {
    const account = await s.account('hubspot');
    const token = account.credentials.privateAppToken!;
    const res = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(token);
    const view = JSON.parse(text);
    expect(view).toMatchObject({ crm: 'hubspot', status: 'connected', authMethod: 'api_key' });
    expect(view.settings.updateIntervalMinutes).toBe(60);

    const second = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    expect(second.status).toBe(409);

    const tested = await api('POST', `/v1/connections/${view.id}/test`);
    expect(((await tested.json()) as { status: string }).status).toBe('connected');
  });

  it('validates settings with messages in place', async () => {
    const [conn] = (await (await api('GET', '/v1/connections')).json()) as { id: string }[];
    const bad = await api('PATCH', `/v1/connections/${conn!.id}`, { settings: { updateIntervalMinutes: 2 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('settings.updateIntervalMinutes');
    const ok = await api('PATCH', `/v1/connections/${conn!.id}`, { settings: { updateIntervalMinutes: 15, objects: { transcripts: true } } });
    const v = (await ok.json()) as { settings: { updateIntervalMinutes: number; objects: { transcripts: boolean; notes: boolean } } };
    expect(v.settings.updateIntervalMinutes).toBe(15);
    expect(v.settings.objects).toMatchObject({ transcripts: true, notes: true });
  });

  it('disconnects: credentials destroyed, nothing deleted in HubSpot; then reconnects with OAuth', async () => {
    const [conn] = (await (await api('GET', '/v1/connections')).json()) as { id: string }[];
    const gone = await api('DELETE', `/v1/connections/${conn!.id}`);
    expect(((await gone.json()) as { status: string }).status).toBe('disconnected');
    const row = await s.t.store.db.selectFrom('connections').select('credentials').where('id', '=', conn!.id).executeTakeFirstOrThrow();
    expect(row.credentials).toBeNull();

    const back = await approveOAuth(s, 'hubspot', { baseUrl: s.sandboxUrl('hubspot'), returnTo: '/connections' });
    expect(back.pathname).toBe('/connections');
    expect(back.searchParams.get('status')).toBe('connected');
    const view = (await (await api('GET', `/v1/connections/${back.searchParams.get('connection')}`)).json()) as { status: string; authMethod: string; account: string; settings: { updateIntervalMinutes: number } };
    expect(view).toMatchObject({ status: 'connected', authMethod: 'oauth' });
    expect(view.account).toMatch(/hub 24681357/);
    // A reconnect keeps the settings the admin chose.
    expect(view.settings.updateIntervalMinutes).toBe(15);
  });

  it('reports a denied consent back to the UI and connects nothing new', async () => {
    const [conn] = (await (await api('GET', '/v1/connections')).json()) as { id: string }[];
    await api('DELETE', `/v1/connections/${conn!.id}`);
    const back = await approveOAuth(s, 'hubspot', { baseUrl: s.sandboxUrl('hubspot') }, 'deny');
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('message')).toMatch(/denied/);
  });

  it('uses each OAuth state once', async () => {
    const browser = await signInBrowser(s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
    const start = await startOAuth(s.origin, 'hubspot', { baseUrl: s.sandboxUrl('hubspot') }, browser);
    const state = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state')!;
    const first = await fetch(`${s.origin}/v1/oauth/callback?state=${state}&error=access_denied`, { redirect: 'manual', headers: { cookie: browser.cookie } });
    expect(first.status).toBe(302);
    const replay = await fetch(`${s.origin}/v1/oauth/callback?state=${state}&code=x`, { redirect: 'manual', headers: { cookie: browser.cookie } });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/expired or was already used/);
  });

  it('refuses a base URL that is not the local sandbox', async () => {
    const res = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: 'pat-x' }, baseUrl: 'https://evil.example/sandbox/hubspot' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('baseUrl');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../src/workspaces/create.js';
import { addUser } from '../../src/workspaces/users.js';
import { answerConsent, signInBrowser, startOAuth, startTestServer, type Browser, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/**
 * Who may finish an OAuth connection: the callback belongs to the browser that started it (or,
 * for a start with an API key, to a browser signed in to that workspace as someone who may
 * connect CRMs), and it comes back only to a path of this server.
 */
describe.each(TEST_DIALECTS)('OAuth start and callback binding (%s)', (dialect) => {
  let s: TestServer;
  let owner: Browser;
  let member: Browser;
  let stranger: Browser;
  const hubspot = () => ({ baseUrl: s.sandboxUrl('hubspot') });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    owner = await signInBrowser(s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
    const m = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@example.com', role: 'member' });
    member = await signInBrowser(s.origin, m.email, m.password);
    // The owner of another workspace: the victim of a forged authorise link, or its sender.
    const other = await createWorkspace(s.t.store, { name: 'Other', defaultCountry: 'ES' });
    stranger = await signInBrowser(s.origin, other.adminEmail, other.adminPassword);
  }, 60_000);
  afterAll(() => s?.close());

  const hubspotConnections = () => s.t.store.db.selectFrom('connections').select(['workspace_id', 'status']).where('crm', '=', 'hubspot').where('status', '!=', 'disconnected').execute();
  const states = async () => Number((await s.t.store.db.selectFrom('oauth_states').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const callback = (url: string, browser?: Browser) => fetch(url, { redirect: 'manual', headers: browser ? { cookie: browser.cookie } : {} });

  async function authorizeUrl(body: Record<string, string>, as: Browser | { authorization: string }): Promise<string> {
    const res = await startOAuth(s.origin, 'hubspot', body, as);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { authorizeUrl: string }).authorizeUrl;
  }

  async function disconnectHubspot(): Promise<void> {
    const list = (await s.api('GET', '/v1/connections')).body as unknown as { id: string; crm: string; status: string }[];
    for (const c of list.filter((c) => c.crm === 'hubspot' && c.status !== 'disconnected')) expect((await s.api('DELETE', `/v1/connections/${c.id}`)).status).toBe(200);
  }

  it('cannot be started by a GET, which a page on another site could trigger', async () => {
    const before = await states();
    const res = await fetch(`${s.origin}/v1/oauth/hubspot/start?${new URLSearchParams(hubspot())}`, { redirect: 'manual', headers: { cookie: owner.cookie } });
    expect(res.status).toBe(404);
    expect(await states()).toBe(before);
  });

  it('needs the session CSRF token to start from a browser', async () => {
    const before = await states();
    const res = await fetch(`${s.origin}/v1/oauth/hubspot/start`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'application/json' }, body: JSON.stringify(hubspot()) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/X-CSRF-Token/);
    expect(await states()).toBe(before);
  });

  it('refuses a returnTo that would leave this server, judged after parsing', async () => {
    const before = await states();
    for (const returnTo of ['/.//evil.example', '//evil.example', '/\\evil.example', '\\/evil.example', 'https://evil.example/', '/\t/evil.example', 'javascript:alert(1)', 'connections']) {
      const res = await startOAuth(s.origin, 'hubspot', { ...hubspot(), returnTo }, owner);
      expect(res.status, returnTo).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.[0]?.path).toBe('returnTo');
    }
    expect(await states()).toBe(before);
  });

  it('connects nothing when the callback arrives in a browser other than the one that started', async () => {
    const back = await answerConsent(await authorizeUrl({ ...hubspot(), returnTo: '/connections?tab=oauth' }, owner));
    // A victim who approved someone else's link: not signed in, or signed in to another workspace.
    for (const browser of [undefined, stranger, member]) {
      const res = await callback(back, browser);
      expect(res.status).toBe(403);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/another browser|nothing was connected/i);
      expect(await hubspotConnections()).toEqual([]);
    }
    // The browser that started it finishes it, and comes back to the path it asked for.
    const res = await callback(back, owner);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!, s.origin);
    expect(to.origin).toBe(s.origin);
    expect(`${to.pathname}?${to.searchParams.get('tab')}`).toBe('/connections?oauth');
    expect(to.searchParams.get('status')).toBe('connected');
    expect(await hubspotConnections()).toEqual([{ workspace_id: s.workspace.workspaceId, status: 'connected' }]);
    await disconnectHubspot();
  });

  it('finishes an API-key start only in a browser signed in to that workspace as someone who may connect CRMs', async () => {
    const back = await answerConsent(await authorizeUrl(hubspot(), s.auth));
    for (const browser of [undefined, stranger, member]) {
      expect((await callback(back, browser)).status).toBe(403);
      expect(await hubspotConnections()).toEqual([]);
    }
    const res = await callback(back, owner);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!, s.origin).searchParams.get('status')).toBe('connected');
    expect(await hubspotConnections()).toEqual([{ workspace_id: s.workspace.workspaceId, status: 'connected' }]);
    await disconnectHubspot();
  });

  it('ends a signed-out session\'s authorizations with it', async () => {
    const browser = await signInBrowser(s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
    const back = await answerConsent(await authorizeUrl(hubspot(), browser));
    const out = await fetch(`${s.origin}/v1/session`, { method: 'DELETE', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken } });
    expect(out.status).toBe(204);
    expect((await callback(back, browser)).status).toBe(403);
    expect(await hubspotConnections()).toEqual([]);
  });
});

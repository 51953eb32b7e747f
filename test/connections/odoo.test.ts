import { describe, expect, it } from 'vitest';
import { startOAuth } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness, type ErrorBody } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting Odoo on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('odoo');
  const seeded = async () => (await h.s.account('odoo')).credentials;
  /** The API-key form with the sandbox's server URL, database and login, some of it overridden. */
  const form = async (over: Partial<{ apiKey: string; database: string; username: string }> = {}) => {
    const c = await seeded();
    return { crm: 'odoo', auth: { method: 'api_key', apiKey: c.api_key!, database: c.database!, username: c.login!, url: base(), ...over }, baseUrl: base() };
  };
  const ACCOUNT = /^admin@sandbox\.crm-sync\.test @ 127\.0\.0\.1:\d+ \(database sandbox\)$/;
  let id: string;

  it('offers an API key only, and says so to an OAuth start', async () => {
    expect(await h.authMethods('odoo')).toEqual(['api_key']);
    const start = await startOAuth(h.s.origin, 'odoo', { baseUrl: base() }, h.s.auth);
    expect(start.status).toBe(400);
    expect(((await start.json()) as ErrorBody).error.message).toMatch(/Odoo does not connect with OAuth/);
  });

  it('asks for the database, login and server URL, each by name', async () => {
    const res = await h.api('POST', '/v1/connections', { crm: 'odoo', auth: { method: 'api_key', apiKey: 'k'.repeat(40) } });
    expect(res.status).toBe(400);
    const paths = res.json<ErrorBody>().error.details!.map((d) => d.path).sort();
    expect(paths).toEqual(['auth.database', 'auth.username', 'instanceUrl']);
  });

  it('refuses a wrong API key, naming what Odoo refused, and stores nothing', async () => {
    const message = await h.refused(await form({ apiKey: '0'.repeat(40) }));
    expect(message).toMatch(/Odoo refused the credentials: "Invalid apikey"/);
    expect(await h.list()).toEqual([]);
  });

  it('refuses a database the server does not have, naming it', async () => {
    const message = await h.refused(await form({ database: 'nosuchdb' }));
    expect(message).toMatch(/Odoo has no database "nosuchdb"/);
  });

  it('refuses a login that is not a user of the database, naming it', async () => {
    const message = await h.refused(await form({ username: 'nobody@sandbox.crm-sync.test' }));
    expect(message).toMatch(/no active user with the login "nobody@sandbox\.crm-sync\.test" in database "sandbox"/);
    expect(await h.list()).toEqual([]);
  });

  it('connects with URL, database, login and API key, and Test Connection keeps it connected', async () => {
    const view = await h.connect(await form());
    expect(view).toMatchObject({ crm: 'odoo', status: 'connected', authMethod: 'api_key', lastError: null, target: { instanceUrl: base(), odoo: { protocol: 'json2', uid: 2 } } });
    expect(view.account).toMatch(ACCOUNT);
    id = view.id;
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(tested.account).toMatch(ACCOUNT);
    await h.view(id);
    await h.list();
    h.expectNoSecret((await seeded()).api_key, (await seeded()).password);
  });

  it('refuses a second Odoo connection', async () => {
    const res = await h.api('POST', '/v1/connections', await form());
    expect(res.status).toBe(409);
  });

  it('disconnects, then connects again with the server URL given as instanceUrl', async () => {
    await h.disconnect(id);
    const c = await seeded();
    const view = await h.connect({ crm: 'odoo', auth: { method: 'api_key', apiKey: c.api_key!, database: c.database!, username: c.login! }, instanceUrl: base() });
    expect(view).toMatchObject({ id, status: 'connected', target: { instanceUrl: base() } });
    expect(view.account).toMatch(ACCOUNT);
    expect((await h.test(id)).status).toBe('connected');
    h.expectNoSecret(c.api_key);
  });

  /** The same database as an Odoo 17 server serves it: /jsonrpc only. */
  const legacy = async () => ((await h.s.account('odoo')) as { legacyServerUrl?: string }).legacyServerUrl!;

  it('refuses a wrong API key over /jsonrpc (Odoo before 19), naming login and database, and stores nothing', async () => {
    await h.disconnect(id);
    const message = await h.refused({ ...(await form({ apiKey: 'f'.repeat(40) })), baseUrl: undefined, instanceUrl: await legacy() });
    expect(message).toMatch(/^Odoo 17\.0 refused the login "admin@sandbox\.crm-sync\.test" with this API key in database "sandbox" \(common\.authenticate answered false\)\. Check the login and the API key\./);
    expect((await h.view(id)).status).toBe('disconnected');
  });

  it('connects to an Odoo before 19 over /jsonrpc, keeping the API, version and uid with the connection; Test Connection keeps it', async () => {
    const c = await seeded();
    const view = await h.connect({ crm: 'odoo', auth: { method: 'api_key', apiKey: c.api_key!, database: c.database!, username: c.login!, url: await legacy() } });
    expect(view).toMatchObject({ id, status: 'connected', target: { instanceUrl: await legacy(), odoo: { protocol: 'jsonrpc', uid: 2, version: '17.0' } } });
    expect(view.account).toMatch(ACCOUNT);
    expect(await h.test(id)).toMatchObject({ status: 'connected', lastError: null, target: { odoo: { protocol: 'jsonrpc', uid: 2 } } });
    h.expectNoSecret(c.api_key, c.password);
  });

  it("takes the admin's API choice, refuses one it does not know by name, and says JSON-2 needs Odoo 19", async () => {
    await h.disconnect(id);
    const bad = await h.api('POST', '/v1/connections', { ...(await form()), api: 'soap' });
    expect(bad.status).toBe(400);
    expect(bad.json<ErrorBody>().error.details!.map((d) => d.path)).toEqual(['api']);
    const message = await h.refused({ ...(await form()), baseUrl: undefined, instanceUrl: await legacy(), api: 'json2' });
    expect(message).toMatch(/does not serve the JSON-2 API \(\/json\/2\), which came with Odoo 19/);
    const chosen = await h.connect({ ...(await form()), api: 'jsonrpc' });
    expect(chosen.target).toEqual({ baseUrl: base(), instanceUrl: base(), api: 'jsonrpc', odoo: { protocol: 'jsonrpc', uid: 2, version: '19.0' } });
  });
});

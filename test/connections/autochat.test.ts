import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOCHAT } from '../../src/connectors/autochat/api.js';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { startOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness, type ErrorBody } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting AutoChat CRM on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('autochat');
  const seeded = async () => (await h.s.account('autochat')).credentials;
  const form = (apiKey: string) => ({ crm: 'autochat', auth: { method: 'api_key', apiKey }, instanceUrl: base(), baseUrl: base() });
  const ACCOUNT = /^AutoChat CRM at 127\.0\.0\.1:\d+$/;
  let id: string;

  it('offers an API key only, and says so to an OAuth start', async () => {
    expect(await h.authMethods('autochat')).toEqual(['api_key']);
    const start = await startOAuth(h.s.origin, 'autochat', { baseUrl: base() }, h.s.auth);
    expect(start.status).toBe(400);
    expect(((await start.json()) as ErrorBody).error.message).toMatch(/AutoChat CRM does not connect with OAuth/);
  });

  it('offers the server URL as optional, for a self-hosted AutoChat', async () => {
    const crms = (await h.api('GET', '/v1/crms')).json<{ id: string; fields: { target: { name: string; required: boolean }[] } }[]>();
    expect(crms.find((c) => c.id === 'autochat')!.fields.target).toMatchObject([{ name: 'instanceUrl', required: false }]);
  });

  it('refuses a wrong API key, naming what AutoChat refused, and stores nothing', async () => {
    const message = await h.refused(form('ac_live_00000000000000000000000000000000'));
    expect(message).toMatch(/^AutoChat CRM refused the credentials: "/);
    expect(message).toMatch(/API key/i);
    expect(await h.list()).toEqual([]);
  });

  it('connects with an API key, and Test Connection keeps it connected', async () => {
    const key = (await seeded()).apiKey!;
    const view = await h.connect(form(key));
    id = view.id;
    expect(view).toMatchObject({ crm: 'autochat', status: 'connected', authMethod: 'api_key', lastError: null, target: { instanceUrl: base() } });
    expect(view.account).toMatch(ACCOUNT);
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(tested.account).toMatch(ACCOUNT);
    await h.view(id);
    await h.list();
    h.expectNoSecret(key);
  });

  it('refuses a second AutoChat connection', async () => {
    const res = await h.api('POST', '/v1/connections', form((await seeded()).otherApiKey!));
    expect(res.status).toBe(409);
  });

  it('disconnects (credentials destroyed), then connects with another key', async () => {
    await h.disconnect(id);
    const other = (await seeded()).otherApiKey!;
    const view = await h.connect(form(other));
    expect(view).toMatchObject({ id, status: 'connected', authMethod: 'api_key' });
    expect((await h.test(id)).status).toBe('connected');
    h.expectNoSecret(other, (await seeded()).apiKey);
  });
});

// Seed 001, step 6: the API key alone connects, to the hosted service. The test's CRM client
// answers for the hosted host from the sandbox, so the key is really checked.
describe.each(TEST_DIALECTS)('connecting AutoChat CRM with its API key alone on %s', (dialect) => {
  let s: TestServer;
  const asked: string[] = [];
  beforeAll(async () => {
    const plain = createCrmHttp();
    const http: CrmHttp = (req) => {
      if (!req.url.startsWith(`${AUTOCHAT.hostedUrl}/`)) return plain(req);
      asked.push(`${req.method ?? 'GET'} ${req.url}`);
      return plain({ ...req, url: req.url.replace(AUTOCHAT.hostedUrl, s.sandboxUrl('autochat')) });
    };
    // The hosted name resolves to a public address, as it would on the internet; the requests
    // themselves are forwarded to the sandbox above, so nothing leaves this machine.
    const resolve = async (host: string) => (host === new URL(AUTOCHAT.hostedUrl).hostname ? ['104.18.32.7'] : []);
    s = await startTestServer(dialect, { http, resolve });
  });
  afterAll(() => s.close());

  it('connects to the hosted service, and Test Connection asks it again', async () => {
    const apiKey = (await s.account('autochat')).credentials.apiKey!;
    const created = await s.api('POST', '/v1/connections', { crm: 'autochat', auth: { method: 'api_key', apiKey } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'connected', target: {}, account: 'AutoChat CRM at api.autoch.at' });
    expect(asked).toEqual(['GET https://api.autoch.at/api/v1/users']);
    const tested = await s.api('POST', `/v1/connections/${String(created.body.id)}/test`);
    expect(tested.body).toMatchObject({ status: 'connected', lastError: null });
    expect(asked).toHaveLength(2);
  });
});

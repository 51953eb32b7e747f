import { describe, expect, it } from 'vitest';
import { startOAuth } from '../support/server.js';
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

  it('asks for the server URL', async () => {
    const res = await h.api('POST', '/v1/connections', { crm: 'autochat', auth: { method: 'api_key', apiKey: (await seeded()).apiKey! } });
    expect(res.status).toBe(400);
    expect(res.json<ErrorBody>().error.details!.map((d) => d.path)).toEqual(['instanceUrl']);
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

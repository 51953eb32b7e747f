import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting Pipedrive on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('pipedrive');
  const app = async () => (await h.s.account('pipedrive')).oauth!;
  // The admin of the sandbox company, as Test Connection names them.
  const ACCOUNT = /^admin@sandbox\.crm-sync\.test @ Sandbox Inc \(sandbox-inc\.pipedrive\.com\)$/;
  let id: string;

  it('offers OAuth and a personal API token', async () => {
    expect(await h.authMethods('pipedrive')).toEqual(['oauth', 'api_key']);
  });

  it('refuses a wrong API token, naming what Pipedrive refused, and stores nothing', async () => {
    const message = await h.refused({ crm: 'pipedrive', auth: { method: 'api_key', apiKey: '0'.repeat(40) }, baseUrl: base() });
    expect(message).toMatch(/Pipedrive refused the credentials: "unauthorized access"/);
    expect(await h.list()).toEqual([]);
  });

  // At connect time there is nothing to reconnect: the refusal names what the admin typed.
  it('names the personal API token when Pipedrive refuses it', async () => {
    const message = await h.refused({ crm: 'pipedrive', auth: { method: 'api_key', apiKey: '0'.repeat(40) }, baseUrl: base() });
    expect(message).toMatch(/API token/i);
    expect(message).not.toMatch(/Reconnect/);
  });

  it('refuses service credentials: Pipedrive has none', async () => {
    const res = await h.api('POST', '/v1/connections', { crm: 'pipedrive', auth: { method: 'service', clientId: 'a', clientSecret: 'b'.repeat(10) }, baseUrl: base() });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Pipedrive connects with oauth or api_key/);
  });

  it('connects with a personal API token and Test Connection keeps it connected', async () => {
    const token = (await h.s.account('pipedrive')).credentials.apiToken!;
    const view = await h.connect({ crm: 'pipedrive', auth: { method: 'api_key', apiKey: token }, baseUrl: base() });
    expect(view).toMatchObject({ crm: 'pipedrive', status: 'connected', authMethod: 'api_key', lastError: null });
    expect(view.account).toMatch(ACCOUNT);
    id = view.id;
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(tested.account).toMatch(ACCOUNT);
    await h.view(id);
    await h.list();
    h.expectNoSecret(token);
  });

  it('disconnects, then connects with OAuth, storing the company domain Pipedrive returns', async () => {
    await h.disconnect(id);
    const view = await h.connectOAuth('pipedrive', { baseUrl: base() });
    expect(view).toMatchObject({ id, crm: 'pipedrive', status: 'connected', authMethod: 'oauth', lastError: null });
    // api_domain: the sandbox plays https://sandbox-inc.pipedrive.com.
    expect(view.target.apiUrl).toBe(base());
    expect(view.account).toMatch(ACCOUNT);
    expect((await h.test(id)).status).toBe('connected');
    const creds = await h.credentials(id);
    expect(creds.method === 'oauth' && creds.refreshToken && creds.expiresAt).toBeTruthy();
    h.expectNoSecret((await app()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('OAuth: refreshes a token Pipedrive expired early, on Test Connection, and stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('pipedrive');
    await h.expireTokens('pipedrive');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('pipedrive')).toBe(requests + 1);
    const after = await h.credentials(id);
    // Pipedrive does not rotate refresh tokens.
    expect(after.method === 'oauth' && before.method === 'oauth' && after.refreshToken === before.refreshToken && after.accessToken !== before.accessToken).toBe(true);
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('OAuth: a refresh token revoked at Pipedrive leads to needs_reconnect, logged once, with no retry loop', async () => {
    const creds = await h.credentials(id);
    if (creds.method !== 'oauth' || !creds.refreshToken) throw new Error('expected OAuth credentials with a refresh token');
    const { clientId, clientSecret } = await app();
    const revoke = await fetch(`${base()}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: creds.refreshToken, token_type_hint: 'refresh_token' }),
    });
    expect(revoke.status).toBe(200);
    await h.expireTokens('pipedrive');
    await h.expectNeedsReconnect('pipedrive', id, /Pipedrive refused the grant/);
  });

  it('connects again with the API token after needs_reconnect', async () => {
    const token = (await h.s.account('pipedrive')).credentials.apiToken!;
    const view = await h.connect({ crm: 'pipedrive', auth: { method: 'api_key', apiKey: token }, baseUrl: base() });
    expect(view).toMatchObject({ id, status: 'connected', authMethod: 'api_key', lastError: null });
  });
});

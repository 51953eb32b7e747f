import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting Salesforce on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('salesforce');
  const app = async () => (await h.s.account('salesforce')).oauth!;
  const service = async (clientSecret?: string) => {
    const { clientId, clientSecret: secret } = await app();
    return { crm: 'salesforce', auth: { method: 'service', clientId, clientSecret: clientSecret ?? secret, instanceUrl: base() }, baseUrl: base() };
  };
  // The connected user and org of the sandbox, as Test Connection names them.
  const ACCOUNT = /^admin@sandbox\.crm-sync\.test @ 127\.0\.0\.1:\d+ \(org 00D8c0000004C9iEAE\)$/;
  let id: string;

  it('offers OAuth and client credentials', async () => {
    expect(await h.authMethods('salesforce')).toEqual(['oauth', 'service']);
  });

  it('refuses a wrong consumer secret, naming what Salesforce refused, and stores nothing', async () => {
    const message = await h.refused(await service('not-the-consumer-secret'));
    expect(message).toMatch(/Salesforce refused the app credentials/);
    expect(message).toMatch(/client id and secret/);
    expect(await h.list()).toEqual([]);
  });

  it('refuses an API key: Salesforce has none', async () => {
    const res = await h.api('POST', '/v1/connections', { crm: 'salesforce', auth: { method: 'api_key', apiKey: 'x'.repeat(20) }, baseUrl: base() });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Salesforce connects with oauth or service/);
  });

  it('connects with the client credentials flow and Test Connection keeps it connected', async () => {
    const view = await h.connect(await service());
    expect(view).toMatchObject({ crm: 'salesforce', status: 'connected', authMethod: 'service', lastError: null });
    expect(view.account).toMatch(ACCOUNT);
    id = view.id;
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(tested.account).toMatch(ACCOUNT);
    await h.view(id);
    h.expectNoSecret((await app()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('service: gets a new token when Salesforce expired the session, and stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('salesforce');
    await h.expireTokens('salesforce');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('salesforce')).toBe(requests + 1);
    const after = await h.credentials(id);
    expect(after.method === 'service' && after.accessToken).toBeTruthy();
    expect(after).not.toEqual(before);
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('disconnects, then connects with OAuth, storing the instance URL Salesforce returns', async () => {
    await h.disconnect(id);
    const view = await h.connectOAuth('salesforce', { baseUrl: base() });
    expect(view).toMatchObject({ crm: 'salesforce', status: 'connected', authMethod: 'oauth', lastError: null });
    expect(view.id).toBe(id);
    expect(view.target.instanceUrl).toBe(base());
    expect(view.account).toMatch(ACCOUNT);
    expect((await h.test(id)).status).toBe('connected');
    const creds = await h.credentials(id);
    expect(creds.method === 'oauth' && creds.refreshToken).toBeTruthy();
    h.expectNoSecret((await app()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('OAuth: refreshes an expired session on Test Connection and stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('salesforce');
    await h.expireTokens('salesforce');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('salesforce')).toBe(requests + 1);
    const after = await h.credentials(id);
    // Salesforce does not rotate refresh tokens: the same one is kept, with a new access token.
    expect(after.method === 'oauth' && before.method === 'oauth' && after.refreshToken === before.refreshToken && after.accessToken !== before.accessToken).toBe(true);
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('OAuth: a refresh token revoked at Salesforce leads to needs_reconnect, logged once, with no retry loop', async () => {
    const creds = await h.credentials(id);
    if (creds.method !== 'oauth' || !creds.refreshToken) throw new Error('expected OAuth credentials with a refresh token');
    const revoke = await fetch(`${base()}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: creds.refreshToken }) });
    expect(revoke.status).toBe(200);
    await h.expireTokens('salesforce');
    await h.expectNeedsReconnect('salesforce', id, /Salesforce refused the grant \("expired access\/refresh token"\)/);
  });

  it('reconnects with OAuth after needs_reconnect', async () => {
    const view = await h.connectOAuth('salesforce', { baseUrl: base() });
    expect(view).toMatchObject({ id, status: 'connected', lastError: null });
    expect((await h.test(id)).status).toBe('connected');
  });
});

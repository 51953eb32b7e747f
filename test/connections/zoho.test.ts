import { describe, expect, it } from 'vitest';
import { startOAuth } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting Zoho CRM on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('zoho');
  const app = async () => (await h.s.account('zoho')).oauth!;
  /** Revokes a refresh token at the accounts server of its data centre, as Zoho does. */
  const revokeAt = async (dc: string, id: string) => {
    const creds = await h.credentials(id);
    if (creds.method !== 'oauth' || !creds.refreshToken) throw new Error('expected OAuth credentials with a refresh token');
    const res = await fetch(`${base()}/accounts/${dc}/oauth/v2/token/revoke?${new URLSearchParams({ token: creds.refreshToken })}`, { method: 'POST' });
    expect(await res.json()).toEqual({ status: 'success' });
  };
  let id: string;

  it('offers OAuth only', async () => {
    expect(await h.authMethods('zoho')).toEqual(['oauth']);
    const res = await h.api('POST', '/v1/connections', { crm: 'zoho', auth: { method: 'api_key', apiKey: 'x'.repeat(20) }, baseUrl: base() });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Zoho CRM connects with oauth, not api_key/);
  });

  it('connects with OAuth in the US data centre and Test Connection keeps it connected', async () => {
    const view = await h.connectOAuth('zoho', { baseUrl: base() });
    expect(view).toMatchObject({ crm: 'zoho', status: 'connected', authMethod: 'oauth', lastError: null });
    // The US api_domain is the sandbox root, as www.zohoapis.com.
    expect(view.target.apiUrl).toBe(base());
    expect(view.account).toMatch(/\(org 60045000001\)$/);
    id = view.id;
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    h.expectNoSecret((await app()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('refreshes an expired token on Test Connection and stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('zoho');
    await h.expireTokens('zoho');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('zoho')).toBe(requests + 1);
    const after = await h.credentials(id);
    // Zoho does not rotate: the refresh answer has no refresh_token, and the old one is kept.
    expect(after.method === 'oauth' && before.method === 'oauth' && after.refreshToken === before.refreshToken && after.accessToken !== before.accessToken).toBe(true);
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('a refresh token revoked at Zoho Accounts leads to needs_reconnect, logged once, with no retry loop', async () => {
    await revokeAt('us', id);
    await h.expireTokens('zoho');
    // Zoho answers a dead refresh token with HTTP 200 {"error":"invalid_code"}.
    await h.expectNeedsReconnect('zoho', id, /Zoho CRM refused the grant \("invalid_code"\)/);
  });

  it('connects in the EU data centre: accounts.zoho.eu for OAuth, the EU api_domain for calls', async () => {
    await h.disconnect(id);
    const view = await h.connectOAuth('zoho', { baseUrl: base(), region: 'eu' });
    expect(view).toMatchObject({ id, crm: 'zoho', status: 'connected', authMethod: 'oauth', lastError: null });
    expect(view.target.region).toBe('eu');
    // The sandbox's EU api_domain (www.zohoapis.eu), from the token response.
    expect(view.target.apiUrl).toBe(`${base()}/eu`);
    const dataCentres = (await h.s.account('zoho')).dataCentres as Record<string, { apiDomain: string }>;
    expect(view.target.apiUrl).toBe(dataCentres.eu!.apiDomain);
    expect(view.account).toMatch(/\(org 60045000001, eu data centre\)$/);
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null, target: { region: 'eu', apiUrl: `${base()}/eu` } });
    h.expectNoSecret((await app()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('EU: an EU token works only on the EU API (the US API refuses it)', async () => {
    const creds = await h.credentials(id);
    if (creds.method !== 'oauth') throw new Error('expected OAuth credentials');
    const headers = { authorization: `Zoho-oauthtoken ${creds.accessToken}` };
    expect((await fetch(`${base()}/eu/crm/v8/org`, { headers })).status).toBe(200);
    expect((await fetch(`${base()}/crm/v8/org`, { headers })).status).toBe(401);
  });

  it('EU: refreshes at the EU accounts server when the token expired, and stays connected', async () => {
    const requests = await h.tokenRequests('zoho');
    await h.expireTokens('zoho');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('zoho')).toBe(requests + 1);
  });

  it('EU: a refresh token revoked at accounts.zoho.eu leads to needs_reconnect', async () => {
    await revokeAt('eu', id);
    await h.expireTokens('zoho');
    await h.expectNeedsReconnect('zoho', id, /Zoho CRM refused the grant \("invalid_code"\)/);
  });

  // An unknown data centre is the admin's input to fix: a field error, and no OAuth state is stored.
  it('refuses a data centre Zoho does not have, on the region field', async () => {
    const start = await startOAuth(h.s.origin, 'zoho', { baseUrl: base(), region: 'mars' }, h.s.auth);
    expect(start.status).toBe(400);
    const { error } = (await start.json()) as { error: { details: { path: string; message: string }[] } };
    expect(error.details[0]?.path).toBe('region');
    expect(error.details[0]?.message).toMatch(/Zoho CRM has no data centre "mars"; choose one of us, eu/);
    const states = await h.s.t.store.db.selectFrom('oauth_states').select('target').where('crm', '=', 'zoho').execute();
    expect(JSON.stringify(states)).not.toContain('mars');
  });
});

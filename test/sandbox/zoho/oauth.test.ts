import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { ALL_SCOPES, approve, authorize, CLIENT_ID, json, tokenRequest, zoho } from './helpers.js';

describe('Zoho sandbox: accounts and tokens', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('zoho'));

  it('shows a consent page with Approve and Deny', async () => {
    const url = `${sb.baseUrl('zoho')}/accounts/us/oauth/v2/auth?client_id=${CLIENT_ID}&redirect_uri=http://x/cb&response_type=code&scope=ZohoCRM.modules.ALL&access_type=offline`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Approve');
    expect(html).toContain('Deny');
    expect(html).toContain('ZohoCRM.modules.ALL');
  });

  it('redirects with code, state, location and accounts-server as Zoho does', async () => {
    const redirect = await approve(sb, { dc: 'eu' });
    expect(redirect.searchParams.get('state')).toBe('st-123');
    expect(redirect.searchParams.get('code')).toMatch(/^1000\./);
    expect(redirect.searchParams.get('location')).toBe('eu');
    expect(redirect.searchParams.get('accounts-server')).toBe(`${sb.baseUrl('zoho')}/accounts/eu`);
  });

  it('redirects a denial with error=access_denied', async () => {
    const redirect = await approve(sb, { decision: 'deny' });
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('exchanges a code with PKCE for Zoho’s token response, with the data centre’s api_domain', async () => {
    const t = await authorize(sb, { dc: 'eu' });
    expect(Object.keys(t).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(t.api_domain).toBe(`${sb.baseUrl('zoho')}/eu`);
    expect(t.token_type).toBe('Bearer');
    expect(t.expires_in).toBe(3600);
    expect(t.scope).toBe(ALL_SCOPES);
    const us = await authorize(sb);
    expect(us.api_domain).toBe(sb.baseUrl('zoho'));
  });

  it('refuses a wrong PKCE verifier and a reused code with Zoho’s 200 {error}', async () => {
    const redirect = await approve(sb, { challenge: 'abc' });
    const code = redirect.searchParams.get('code')!;
    const bad = await tokenRequest(sb, 'us', { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: 'nope' });
    expect(bad).toEqual({ error: 'invalid_code' });
    const again = await tokenRequest(sb, 'us', { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: 'nope' });
    expect(again).toEqual({ error: 'invalid_code' });
    const res = await fetch(`${sb.baseUrl('zoho')}/accounts/us/oauth/v2/token?grant_type=refresh_token&refresh_token=x&client_id=${CLIENT_ID}&client_secret=wrong`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ error: 'invalid_client' });
  });

  it('refreshes without rotating the refresh token', async () => {
    const t = await authorize(sb);
    const r1 = await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
    expect(r1.refresh_token).toBeUndefined();
    expect(r1.access_token).not.toBe(t.access_token);
    expect(r1.api_domain).toBe(sb.baseUrl('zoho'));
    const r2 = await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
    expect(r2.access_token).toMatch(/^1000\./);
    expect((await zoho(sb, r2.access_token, '/org')).status).toBe(200);
  });

  it('limits one refresh token to 10 access tokens in 10 minutes', async () => {
    const t = await authorize(sb);
    for (let i = 0; i < 10; i++) expect((await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token: t.refresh_token! })).access_token).toBeTruthy();
    const res = await fetch(`${sb.baseUrl('zoho')}/accounts/us/oauth/v2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token!, client_id: CLIENT_ID, client_secret: 'sandbox0zoho0client0secret0000000000000001' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    });
  });

  it('revokes a refresh token and every access token it minted', async () => {
    const t = await authorize(sb);
    const res = await fetch(`${sb.baseUrl('zoho')}/accounts/us/oauth/v2/token/revoke?token=${t.refresh_token}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token: t.refresh_token! })).toEqual({ error: 'invalid_code' });
    const api = await zoho(sb, t.access_token, '/org');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  });

  it('answers INVALID_TOKEN for an expired token and for a token of another data centre', async () => {
    const eu = await authorize(sb, { dc: 'eu' });
    expect((await zoho(sb, eu.access_token, '/org', { dc: 'eu' })).status).toBe(200);
    const onUs = await zoho(sb, eu.access_token, '/org');
    expect(onUs.status).toBe(401);
    expect(await json(onUs)).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
    expect(await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token: eu.refresh_token! })).toEqual({ error: 'invalid_code' });
    await fetch(`${sb.origin}/sandbox/__control/expire-tokens?crm=zoho`, { method: 'POST' });
    const expired = await zoho(sb, eu.access_token, '/org', { dc: 'eu' });
    expect(expired.status).toBe(401);
    expect((await json(expired)).code).toBe('INVALID_TOKEN');
  });

  it('answers AUTHENTICATION_FAILURE without the Zoho-oauthtoken header, and OAUTH_SCOPE_MISMATCH outside the scopes', async () => {
    const none = await fetch(`${sb.baseUrl('zoho')}/crm/v8/Leads?fields=Email`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    const t = await authorize(sb, { scope: 'ZohoCRM.modules.leads.READ' });
    expect((await zoho(sb, t.access_token, '/Leads?fields=Email')).status).toBe(204);
    const contacts = await zoho(sb, t.access_token, '/Contacts?fields=Email');
    expect(contacts.status).toBe(401);
    expect(await contacts.json()).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope to access this URL', status: 'error' });
    const write = await zoho(sb, t.access_token, '/Leads', { method: 'POST', body: { data: [{ Last_Name: 'X' }] } });
    expect((await json(write)).code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('mints access tokens from the seeded refresh token shown in the control API', async () => {
    const control = await json<{ crms: { zoho: { credentials: { refresh_token: string; api_domain: string } } } }>(await fetch(`${sb.origin}/sandbox/__control`));
    const { refresh_token, api_domain } = control.crms.zoho.credentials;
    expect(api_domain).toBe(sb.baseUrl('zoho'));
    const t = await tokenRequest(sb, 'us', { grant_type: 'refresh_token', refresh_token });
    expect(t.api_domain).toBe(api_domain);
    const users = await json<{ users: { email: string }[] }>(await zoho(sb, t.access_token, '/users?type=ActiveUsers'));
    expect(users.users.map((u) => u.email)).toContain('admin@sandbox.crm-sync.test');
  });
});

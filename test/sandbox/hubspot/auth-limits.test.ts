import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_APP } from '../../../src/sandbox/hubspot/account.js';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { hubspotApi } from './api.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('HubSpot sandbox: auth and rate limits', () => {
  let sb: RunningSandbox;
  let base: string;
  beforeAll(async () => {
    sb = await startSandbox();
    base = sb.baseUrl('hubspot');
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('hubspot'));

  const token = (form: Record<string, string>) =>
    fetch(`${base}/oauth/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  async function authorize(verifier: string): Promise<string> {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = { client_id: OAUTH_APP.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.read', state: 's-1', code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await fetch(`${base}/oauth/authorize?${new URLSearchParams(query)}`);
    const html = await page.text();
    expect(html).toContain('Approve');
    expect(html).toContain('Deny');
    const res = await fetch(`${base}/oauth/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...query, decision: 'approve' }).toString() });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('s-1');
    return location.searchParams.get('code') ?? '';
  }

  it('answers 401 INVALID_AUTHENTICATION without or with a wrong token', async () => {
    for (const t of ['', 'pat-na1-00000000-0000-0000-0000-000000000000']) {
      const res = await hubspotApi(sb, t)('GET', '/crm/v3/objects/contacts');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        status: 'error',
        category: 'INVALID_AUTHENTICATION',
        message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      });
    }
  });

  it('redirects with access_denied when the user denies', async () => {
    const res = await fetch(`${base}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: OAUTH_APP.clientId, redirect_uri: REDIRECT, state: 'x', decision: 'deny' }).toString(),
    });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('access_denied');
  });

  it('runs the OAuth flow with PKCE: code, token, refresh without rotation, metadata, expiry, revocation', async () => {
    const verifier = 'v'.repeat(50);
    const wrong = await token({ grant_type: 'authorization_code', client_id: OAUTH_APP.clientId, client_secret: OAUTH_APP.clientSecret, redirect_uri: REDIRECT, code: await authorize(verifier), code_verifier: 'w'.repeat(50) });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).status).toBe('BAD_AUTH_CODE');

    const res = await token({ grant_type: 'authorization_code', client_id: OAUTH_APP.clientId, client_secret: OAUTH_APP.clientSecret, redirect_uri: REDIRECT, code: await authorize(verifier), code_verifier: verifier });
    expect(res.status).toBe(200);
    const granted = await res.json();
    expect(granted).toMatchObject({ token_type: 'bearer', expires_in: 1800, token_use: 'access_token', hub_id: 24681357, scopes: ['oauth', 'crm.objects.contacts.read'] });
    const api = hubspotApi(sb, granted.access_token);
    const ok = await api('GET', '/crm/v3/objects/contacts');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(ok.headers.get('x-hubspot-ratelimit-daily')).toBeNull(); // OAuth calls have no daily limit

    const meta = await (await fetch(`${base}/oauth/v1/access-tokens/${granted.access_token}`)).json();
    expect(meta).toMatchObject({ token: granted.access_token, user: 'admin@sandbox.crm-sync.test', hub_id: 24681357, app_id: OAUTH_APP.appId, token_type: 'access' });
    expect(meta.expires_in).toBeGreaterThan(1790);

    const refreshed = await (await token({ grant_type: 'refresh_token', client_id: OAUTH_APP.clientId, client_secret: OAUTH_APP.clientSecret, refresh_token: granted.refresh_token })).json();
    expect(refreshed.refresh_token).toBe(granted.refresh_token); // HubSpot does not rotate refresh tokens
    expect(refreshed.access_token).not.toBe(granted.access_token);
    const rtMeta = await (await fetch(`${base}/oauth/v1/refresh-tokens/${granted.refresh_token}`)).json();
    expect(rtMeta).toMatchObject({ token: granted.refresh_token, client_id: OAUTH_APP.clientId, token_type: 'refresh', hub_id: 24681357 });

    sb.sandbox.crm('hubspot').oauth?.expireAccessTokens();
    const expired = await hubspotApi(sb, refreshed.access_token)('GET', '/crm/v3/objects/contacts');
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
    expect(expired.body.message).toMatch(/^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/);
    expect(expired.body.context['expire time'][0]).toMatch(/Z$/);

    expect((await fetch(`${base}/oauth/v1/refresh-tokens/${granted.refresh_token}`, { method: 'DELETE' })).status).toBe(204);
    const afterRevoke = await token({ grant_type: 'refresh_token', client_id: OAUTH_APP.clientId, client_secret: OAUTH_APP.clientSecret, refresh_token: granted.refresh_token });
    expect(afterRevoke.status).toBe(400);
    expect(await afterRevoke.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' });
  });

  it('rejects a wrong client secret at the token endpoint', async () => {
    const res = await token({ grant_type: 'refresh_token', client_id: OAUTH_APP.clientId, client_secret: 'nope', refresh_token: 'x' });
    expect(res.status).toBe(400);
    expect((await res.json()).status).toBe('BAD_CLIENT_SECRET');
  });

  it('sends the private-app rate-limit headers and 429 TEN_SECONDLY_ROLLING when the window is used up', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0.05 }, 'hubspot'); // 5 calls per 10 s, 12,500 a day
    const api = hubspotApi(sb);
    const first = await api('GET', '/crm/v3/objects/contacts');
    const limitHeaders: Record<string, string> = {};
    first.headers.forEach((value, key) => {
      if (key.startsWith('x-hubspot-ratelimit')) limitHeaders[key] = value;
    });
    expect(limitHeaders).toEqual({
      'x-hubspot-ratelimit-daily': '12500',
      'x-hubspot-ratelimit-daily-remaining': '12499',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '5',
      'x-hubspot-ratelimit-remaining': '4',
      'x-hubspot-ratelimit-secondly': '1',
      'x-hubspot-ratelimit-secondly-remaining': '0',
    });
    for (let i = 0; i < 4; i++) expect((await api('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    const limited = await api('GET', '/crm/v3/objects/contacts');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      correlationId: expect.any(String),
      category: 'RATE_LIMITS',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
  });
});

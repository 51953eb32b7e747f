import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approveConsent, startSalesforce, type SalesforceHarness } from './client.js';

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const REDIRECT = 'https://app.example.test/callback';

describe('Salesforce sandbox: OAuth 2, sessions and limits', () => {
  let h: SalesforceHarness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  const token = async (form: Record<string, string>) => {
    const res = await fetch(h.account.oauth.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const authorizeUrl = (challenge: string, state = 's1') =>
    `${h.account.oauth.authorizeUrl}?${new URLSearchParams({ response_type: 'code', client_id: h.account.oauth.clientId, redirect_uri: REDIRECT, scope: 'api refresh_token', state, code_challenge: challenge, code_challenge_method: 'S256' })}`;
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const call = (accessToken: string, path = '/sobjects') => h.api('GET', path, undefined, { authorization: `Bearer ${accessToken}` });

  it('shows a consent page, redirects a denial with access_denied', async () => {
    const html = await (await fetch(authorizeUrl('abc'))).text();
    expect(html).toContain('Approve');
    expect(html).toContain('Deny');
    const form = new URLSearchParams({ client_id: h.account.oauth.clientId, redirect_uri: REDIRECT, state: 's9', decision: 'deny' });
    const res = await fetch(h.account.oauth.authorizeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    const location = new URL(res.headers.get('location') as string);
    expect([res.status, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([302, 'access_denied', 's9']);
  });

  it('exchanges a code with PKCE S256 for a signed Salesforce token response, and refreshes without rotation', async () => {
    const { verifier, challenge } = pkce();
    const callback = await approveConsent(authorizeUrl(challenge, 'st'));
    expect(callback.searchParams.get('state')).toBe('st');
    const code = callback.searchParams.get('code') as string;

    const wrong = await token({ grant_type: 'authorization_code', code, client_id: h.account.oauth.clientId, redirect_uri: REDIRECT, code_verifier: 'not-the-verifier' });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } });

    const callback2 = await approveConsent(authorizeUrl(challenge));
    const ok = await token({ grant_type: 'authorization_code', code: callback2.searchParams.get('code') as string, client_id: h.account.oauth.clientId, client_secret: h.account.oauth.clientSecret, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'refresh_token', 'scope', 'signature', 'token_type']);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', instance_url: h.base, scope: 'api refresh_token', id: `${h.base}/id/${h.account.credentials.organizationId}/${h.account.users[0]?.id}` });
    const expected = createHmac('sha256', h.account.oauth.clientSecret).update(`${ok.body.id}${ok.body.issued_at}`).digest('base64');
    expect(ok.body.signature).toBe(expected);
    expect((await call(ok.body.access_token as string)).status).toBe(200);

    const reused = await token({ grant_type: 'authorization_code', code: callback2.searchParams.get('code') as string, client_id: h.account.oauth.clientId, client_secret: h.account.oauth.clientSecret, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(reused.body).toEqual({ error: 'invalid_grant', error_description: 'invalid authorization code' });

    const refresh = { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token as string, client_id: h.account.oauth.clientId, client_secret: h.account.oauth.clientSecret };
    const r1 = await token(refresh);
    const r2 = await token(refresh);
    expect([r1.status, r2.status, 'refresh_token' in r1.body]).toEqual([200, 200, false]);
    expect(r1.body.access_token).not.toBe(r2.body.access_token);

    const badSecret = await token({ ...refresh, client_secret: 'wrong' });
    expect(badSecret).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
    expect((await token({ ...refresh, client_id: 'nobody' })).body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    expect((await token({ grant_type: 'password', client_id: h.account.oauth.clientId })).body).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });

    const userinfo = await fetch(`${h.base}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${r1.body.access_token}` } }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(userinfo).toMatchObject({ email: 'admin@sandbox.crm-sync.test', organization_id: h.account.credentials.organizationId, user_id: h.account.users[0]?.id });

    // Revoking the refresh token ends the sessions it granted.
    expect((await fetch(h.account.oauth.revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(refresh.refresh_token)}` })).status).toBe(200);
    expect(await call(r1.body.access_token as string)).toMatchObject({ status: 401, body: INVALID_SESSION });
    expect((await token(refresh)).body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const unknown = await fetch(h.account.oauth.revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=garbage' });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'unsupported_token_type', error_description: 'this token type is not supported' }]);
  });

  it('issues client credentials tokens without a refresh token, and answers expired sessions with 401', async () => {
    const cc = await token({ grant_type: 'client_credentials', client_id: h.account.oauth.clientId, client_secret: h.account.oauth.clientSecret });
    expect([cc.status, 'refresh_token' in cc.body, cc.body.scope]).toEqual([200, false, 'api']);
    expect((await call(cc.body.access_token as string)).status).toBe(200);
    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=salesforce`, { method: 'POST' });
    expect(await call(cc.body.access_token as string)).toMatchObject({ status: 401, body: INVALID_SESSION });
    expect(await h.api('GET', '/sobjects', undefined, { authorization: '' })).toMatchObject({ status: 401, body: INVALID_SESSION });
    const bad = await fetch(`${h.base}/services/oauth2/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect([bad.status, await bad.text()]).toEqual([403, 'Bad_OAuth_Token']);
  });

  it('reports the daily allocation in Sforce-Limit-Info and /limits, and refuses calls beyond it', async () => {
    const first = await h.api('GET', '/sobjects/Lead/describe');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    const limits = await h.api('GET', '/limits');
    // The /limits call counts too.
    expect(limits.body.DailyApiRequests).toEqual({ Max: 100000, Remaining: 99998 });

    await fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'salesforce', rateLimitFactor: 0.00005 }) });
    await h.reset(); // a reset restores the factor too, so set it again after
    await fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'salesforce', rateLimitFactor: 0.00005 }) });
    const statuses: [number, string | null][] = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.api('GET', '/limits');
      statuses.push([res.status, res.headers.get('sforce-limit-info')]);
      if (i === 5) expect(res.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    }
    expect(statuses).toEqual([
      [200, 'api-usage=1/5'],
      [200, 'api-usage=2/5'],
      [200, 'api-usage=3/5'],
      [200, 'api-usage=4/5'],
      [200, 'api-usage=5/5'],
      [403, 'api-usage=5/5'],
    ]);
  });

  it('answers injected faults and unknown paths in the Salesforce error shape', async () => {
    await fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'salesforce', failNext: 1 }) });
    const fault = await h.api('GET', '/sobjects');
    expect([fault.status, fault.body[0].errorCode]).toEqual([503, 'SERVER_UNAVAILABLE']);
    const missing = await fetch(`${h.base}/no/such/path`);
    expect([missing.status, await missing.json()]).toEqual([404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]]);
  });
});

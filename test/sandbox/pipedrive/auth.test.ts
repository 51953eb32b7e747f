import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { ADMIN_TOKEN, ERROR_INFO, pd, pdError } from './support.js';

const UNAUTHORIZED = { success: false, error: 'unauthorized access', errorCode: 401, error_info: ERROR_INFO };

interface PipedriveAccount {
  oauth: { authorizeUrl: string; tokenUrl: string; revokeUrl: string; clientId: string; clientSecret: string };
  credentials: { apiToken: string };
}

describe('Pipedrive sandbox: authentication and rate limits', () => {
  let sb: RunningSandbox;
  let account: PipedriveAccount;
  beforeAll(async () => {
    sb = await startSandbox();
    account = sb.sandbox.crm('pipedrive').account(sb.baseUrl('pipedrive')) as unknown as PipedriveAccount;
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('pipedrive'));

  const basic = () => `Basic ${Buffer.from(`${account.oauth.clientId}:${account.oauth.clientSecret}`).toString('base64')}`;
  const tokenRequest = (form: Record<string, string>, authorization = basic()) =>
    fetch(account.oauth.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization }, body: new URLSearchParams(form) });
  const bearer = (token: string) => fetch(`${sb.baseUrl('pipedrive')}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });

  async function authorize(): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const form = { client_id: account.oauth.clientId, redirect_uri: 'http://localhost:9/callback', state: 'st-123', code_challenge: challenge, code_challenge_method: 'S256', decision: 'approve' };
    const res = await fetch(account.oauth.authorizeUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://localhost:9/callback');
    expect(location.searchParams.get('state')).toBe('st-123');
    return { code: location.searchParams.get('code')!, verifier };
  }

  it('refuses requests without a valid api_token with the 401 body', async () => {
    const none = await pd(sb, 'GET', '/api/v1/persons', undefined, null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual(UNAUTHORIZED);
    expect((await pd(sb, 'GET', '/api/v2/persons', undefined, 'f'.repeat(40))).body).toEqual(UNAUTHORIZED);
    const header = await fetch(`${sb.baseUrl('pipedrive')}/api/v2/persons`, { headers: { 'x-api-token': ADMIN_TOKEN } });
    expect(header.status).toBe(200);
    expect(account.credentials.apiToken).toBe(ADMIN_TOKEN);
  });

  it('shows a consent page with Approve and Deny, and Deny redirects with access_denied', async () => {
    const page = await fetch(`${account.oauth.authorizeUrl}?client_id=${account.oauth.clientId}&redirect_uri=${encodeURIComponent('http://localhost:9/cb')}&state=s1`);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Deny</button>');
    const denied = await fetch(account.oauth.authorizeUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: account.oauth.clientId, redirect_uri: 'http://localhost:9/cb', state: 's1', decision: 'deny' }) });
    const location = new URL(denied.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('exchanges a code with PKCE for Pipedrive\'s token response, refreshes without rotation, and revokes', async () => {
    const { code, verifier } = await authorize();
    const res = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:9/callback', code_verifier: verifier });
    expect(res.status).toBe(200);
    const token = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(token).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3599, api_domain: sb.baseUrl('pipedrive') });
    expect(((await (await bearer(token.access_token as string)).json()) as { data: { id: number } }).data.id).toBe(1);

    const refreshed = (await (await tokenRequest({ grant_type: 'refresh_token', refresh_token: token.refresh_token as string })).json()) as Record<string, unknown>;
    expect(refreshed.refresh_token).toBe(token.refresh_token);
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect((await bearer(refreshed.access_token as string)).status).toBe(200);

    await fetch(`${sb.origin}/sandbox/__control/expire-tokens?crm=pipedrive`, { method: 'POST' });
    const expired = await bearer(refreshed.access_token as string);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual(UNAUTHORIZED);

    const revoke = await fetch(account.oauth.revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() }, body: new URLSearchParams({ token: token.refresh_token as string, token_type_hint: 'refresh_token' }) });
    expect(revoke.status).toBe(200);
    const after = await tokenRequest({ grant_type: 'refresh_token', refresh_token: token.refresh_token as string });
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects a wrong client secret and a wrong PKCE verifier', async () => {
    const { code, verifier } = await authorize();
    const wrong = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:9/callback', code_verifier: verifier }, `Basic ${Buffer.from(`${account.oauth.clientId}:nope`).toString('base64')}`);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_client');
    const second = await authorize();
    const badPkce = await tokenRequest({ grant_type: 'authorization_code', code: second.code, redirect_uri: 'http://localhost:9/callback', code_verifier: 'x'.repeat(43) });
    expect(badPkce.status).toBe(400);
    expect(((await badPkce.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('reports the burst window in x-ratelimit-* headers and answers 429 when it is spent', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0.05 }, 'pipedrive'); // 80 per 2 s becomes 4
    const remaining: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await pd(sb, 'GET', '/api/v2/persons');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('4');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    const refused = await pd(sb, 'GET', '/api/v2/persons');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(pdError('Request over limit'));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('spends the company\'s daily token budget by request cost', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0.0001 }, 'pipedrive'); // budget 18 tokens, burst 1
    const get = await pd(sb, 'GET', '/api/v1/persons/1'); // 2 tokens (404, still counted)
    expect(get.headers.get('x-daily-ratelimit-token-remaining')).toBe('16');
    await new Promise((r) => setTimeout(r, 2_050)); // let the 1-per-2 s burst window pass
    const list = await pd(sb, 'GET', '/api/v1/persons'); // 20 tokens: over budget
    expect(list.status).toBe(429);
    expect(list.body).toEqual(pdError('Daily API token budget exceeded'));
    expect(list.headers.get('x-daily-ratelimit-token-remaining')).toBe('16');
  });
});

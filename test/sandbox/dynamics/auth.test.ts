import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP, TENANT_ID } from '../../../src/sandbox/dynamics/facts.js';
import { clientCredentials, startDataverse, type DataverseHarness } from './helpers.js';

type AadBody = { error: string; error_description: string; error_codes: number[]; timestamp: string; trace_id: string; correlation_id: string };
type TokenBody = { token_type: string; scope?: string; expires_in: number; ext_expires_in: number; access_token: string; refresh_token?: string; id_token?: string };

describe('Dataverse sandbox: Azure AD', () => {
  let h: DataverseHarness;
  beforeAll(async () => {
    h = await startDataverse();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const form = (body: Record<string, string>, tenant = TENANT_ID) =>
    fetch(`${h.base}/login/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });

  /** Consent page → approve → code → token, with PKCE S256. */
  async function authorize(scope = `${h.base}/user_impersonation offline_access openid`): Promise<TokenBody> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({ client_id: APP.clientId, response_type: 'code', redirect_uri: 'http://localhost:5173/callback', scope, state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256' });
    const authorizeUrl = `${h.base}/login/${TENANT_ID}/oauth2/v2.0/authorize?${params}`;
    const page = await fetch(authorizeUrl);
    const html = await page.text();
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Deny</button>');
    const approved = await fetch(authorizeUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(params), decision: 'approve' }) });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st-1');
    const res = await form({ grant_type: 'authorization_code', client_id: APP.clientId, code: location.searchParams.get('code')!, redirect_uri: 'http://localhost:5173/callback', code_verifier: verifier });
    expect(res.status).toBe(200);
    return (await res.json()) as TokenBody;
  }

  it('exchanges an authorization code (PKCE) for the v2 token response and calls the API as the user', async () => {
    const token = await authorize();
    expect(Object.keys(token)).toEqual(['token_type', 'scope', 'expires_in', 'ext_expires_in', 'access_token', 'refresh_token', 'id_token']);
    expect(token).toMatchObject({ token_type: 'Bearer', scope: `${h.base}/user_impersonation`, expires_in: 3599, ext_expires_in: 3599 });
    const me = await h.json<{ UserId: string }>(await h.call('WhoAmI()', { token: token.access_token }));
    expect(me.UserId).toBe('a1f4c2e8-5b3d-4e7a-9f06-2c8d1b7e4a90');
  });

  it('denies: the consent page redirects with access_denied', async () => {
    const params = new URLSearchParams({ client_id: APP.clientId, redirect_uri: 'http://localhost:5173/cb', state: 's', decision: 'deny' });
    const res = await fetch(`${h.base}/login/${TENANT_ID}/oauth2/v2.0/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('rejects a wrong PKCE verifier with AADSTS501481', async () => {
    const params = new URLSearchParams({ client_id: APP.clientId, redirect_uri: 'http://localhost/cb', scope: `${h.base}/.default`, code_challenge: 'abc', code_challenge_method: 'S256', decision: 'approve' });
    const approved = await fetch(`${h.base}/login/${TENANT_ID}/oauth2/v2.0/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params });
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    const res = await form({ grant_type: 'authorization_code', client_id: APP.clientId, code, redirect_uri: 'http://localhost/cb', code_verifier: 'wrong' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as AadBody;
    expect(body.error).toBe('invalid_grant');
    expect(body.error_codes).toEqual([501481]);
  });

  it('rotates refresh tokens; a used or revoked one answers invalid_grant', async () => {
    const first = await authorize();
    const refreshed = await form({ grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret, refresh_token: first.refresh_token! });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as TokenBody;
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const reused = await form({ grant_type: 'refresh_token', client_id: APP.clientId, refresh_token: first.refresh_token! });
    const reusedBody = (await reused.json()) as AadBody;
    expect(reused.status).toBe(400);
    expect(reusedBody.error).toBe('invalid_grant');
    expect(reusedBody.error_description).toMatch(/^AADSTS70008: The provided authorization code or refresh token has expired due to inactivity\./);

    const revoke = await fetch(`${h.base}/graph/v1.0/users/admin@sandbox.crm-sync.test/revokeSignInSessions`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` } });
    expect(await revoke.json()).toEqual({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true });
    const revoked = (await (await form({ grant_type: 'refresh_token', client_id: APP.clientId, refresh_token: second.refresh_token! })).json()) as AadBody;
    expect(revoked.error_codes).toEqual([50173]);
  });

  it('answers Azure AD errors: bad secret, unknown tenant, unknown app, wrong scope', async () => {
    const bad = await clientCredentials(h.base, { client_secret: 'nope' });
    expect(bad.status).toBe(401);
    const badBody = (await bad.json()) as AadBody;
    expect(Object.keys(badBody)).toEqual(['error', 'error_description', 'error_codes', 'timestamp', 'trace_id', 'correlation_id', 'error_uri']);
    expect(badBody.error).toBe('invalid_client');
    expect(badBody.error_codes).toEqual([7000215]);
    expect(badBody.error_description).toMatch(new RegExp(`^AADSTS7000215: Invalid client secret provided\\. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP.clientId}'\\. Trace ID: ${badBody.trace_id} Correlation ID: ${badBody.correlation_id} Timestamp: `));
    expect(badBody.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);

    const tenant = (await (await form({ grant_type: 'client_credentials' }, '00000000-0000-0000-0000-000000000000')).json()) as AadBody;
    expect(tenant.error_codes).toEqual([90002]);
    expect(tenant.error_description).toMatch(/^AADSTS90002: Tenant '00000000-0000-0000-0000-000000000000' not found\./);

    const app = (await (await clientCredentials(h.base, { client_id: '11111111-1111-1111-1111-111111111111' })).json()) as AadBody;
    expect(app).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const scope = (await (await clientCredentials(h.base, { scope: `${h.base}/user_impersonation` })).json()) as AadBody;
    expect(scope.error_codes).toEqual([1002012]);
    const resource = (await (await clientCredentials(h.base, { scope: 'https://other.crm.dynamics.com/.default' })).json()) as AadBody;
    expect(resource).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  });

  it('returns client-credentials tokens without scope or refresh token', async () => {
    const token = (await (await clientCredentials(h.base)).json()) as TokenBody;
    expect(Object.keys(token)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
  });

  it('answers 401 with a WWW-Authenticate challenge, for missing and expired tokens', async () => {
    const missing = await h.call('contacts', { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.text()).toBe('');
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer authorization_uri=${h.base}/login/${TENANT_ID}/oauth2/authorize, resource_id=${h.base}/`);
    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=dynamics`, { method: 'POST' });
    const expired = await h.call('contacts');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer error=invalid_token, error_description=Error during token validation!, authorization_uri=/);
  });

  it('rejects a token issued for another resource', async () => {
    const token = await authorize('https://graph.microsoft.com/User.Read offline_access');
    expect((await h.call('WhoAmI()', { token: token.access_token })).status).toBe(401);
  });
});

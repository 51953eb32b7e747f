import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salesforceConnection as sf } from '../../src/connectors/salesforce/connection.js';
import { appOf, authorize, expectAuthFailure, failureOf, http, refresh, startFor, type ConnectorHarness } from './support.js';

describe('Salesforce connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('salesforce');
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  const service = () => ({ method: 'service' as const, clientId: String(h.account.credentials.clientId), clientSecret: String(h.account.credentials.clientSecret) });

  it('connects with OAuth: consent, code exchange, instance_url as the instance, check, refresh', async () => {
    const { tokens, target } = await authorize(sf, h.target, appOf(h.account));
    expect(target.instanceUrl).toBe(h.account.baseUrl);
    expect(tokens.refreshToken).toBeTruthy();
    const ctx = { http, target, credentials: { method: 'oauth' as const, accessToken: tokens.accessToken } };
    expect((await sf.check(ctx)).account).toBe(`admin@sandbox.crm-sync.test @ ${new URL(h.sb.origin).host} (org 00D8c0000004C9iEAE)`);

    const renewed = await refresh(sf, target, appOf(h.account), tokens.refreshToken as string);
    expect(renewed.tokens.accessToken).not.toBe(tokens.accessToken);
    expect(renewed.tokens.refreshToken).toBeUndefined(); // Salesforce keeps the one the client has
    await expect(sf.check({ ...ctx, credentials: { method: 'oauth', accessToken: renewed.tokens.accessToken } })).resolves.toMatchObject({ account: expect.stringContaining('admin@') });
  });

  it('refuses a bad access token and a revoked refresh token with an auth error telling to reconnect', async () => {
    const bad = await failureOf(sf.check({ http, target: h.target, credentials: { method: 'oauth', accessToken: 'not-a-session' } }));
    expectAuthFailure(bad, 'salesforce', /Reconnect Salesforce/);
    expect(bad.message).toContain('Session expired or invalid');

    const { tokens, target } = await authorize(sf, h.target, appOf(h.account));
    await http({ method: 'POST', url: sf.oauth!.endpoints(target).revokeUrl as string, body: new URLSearchParams({ token: tokens.refreshToken as string }) });
    expectAuthFailure(await failureOf(refresh(sf, target, appOf(h.account), tokens.refreshToken as string)), 'salesforce', /Reconnect Salesforce/);
  });

  it('connects as a service with the client credentials flow on the instance URL', async () => {
    const target = { baseUrl: h.account.baseUrl, instanceUrl: h.account.baseUrl };
    const token = await sf.serviceToken!({ http, target, clientId: service().clientId, clientSecret: service().clientSecret });
    expect(token.accessToken).toBeTruthy();
    expect((await sf.check({ http, target, credentials: { ...service(), accessToken: token.accessToken } })).account).toContain('admin@sandbox.crm-sync.test');
    // Without a stored token, check gets one itself (Test Connection right after entering the secret).
    expect((await sf.check({ http, target, credentials: service() })).account).toContain('org 00D8c0000004C9iEAE');
  });

  it('names a wrong client secret as refused app credentials', async () => {
    const err = await failureOf(sf.check({ http, target: h.target, credentials: { ...service(), clientSecret: 'wrong' } }));
    expectAuthFailure(err, 'salesforce', /Check the client id and secret/);
    expect(err.details.vendorCode).toBe('invalid_client');
  });

  it('uses the vendor hosts in production', () => {
    const ep = sf.oauth!.endpoints({});
    expect([ep.authorizeUrl, ep.tokenUrl]).toEqual(['https://login.salesforce.com/services/oauth2/authorize', 'https://login.salesforce.com/services/oauth2/token']);
    expect(sf.apiBase({ instanceUrl: 'https://acme.my.salesforce.com/' })).toBe('https://acme.my.salesforce.com');
    expect(() => sf.apiBase({})).toThrow(/instance URL/);
    const allowed = (host: string) => sf.instanceHosts.some((r) => r.test(host));
    expect(['acme.my.salesforce.com', 'acme--dev.sandbox.my.salesforce.com', 'acme.lightning.force.com'].every(allowed)).toBe(true);
    expect(['salesforce.com.evil.test', 'acme.dynamics.com'].some(allowed)).toBe(false);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamicsConnection as dyn } from '../../src/connectors/dynamics/connection.js';
import { appOf, authorize, expectAuthFailure, failureOf, http, refresh, startFor, type ConnectorHarness } from './support.js';

describe('Microsoft Dynamics 365 connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('dynamics');
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  const target = () => ({ baseUrl: h.account.baseUrl, instanceUrl: h.account.baseUrl, tenantId: String(h.account.credentials.tenantId) });
  const service = () => ({ method: 'service' as const, clientId: String(h.account.credentials.clientId), clientSecret: String(h.account.credentials.clientSecret) });
  const host = () => new URL(h.sb.origin).host;

  it('connects with Azure AD OAuth for the environment, and stores the rotated refresh token', async () => {
    const ep = dyn.oauth!.endpoints(target());
    expect(ep.authorizeUrl).toBe(`${h.account.baseUrl}/login/${target().tenantId}/oauth2/v2.0/authorize`);
    expect(ep.scopes).toEqual([`${h.account.baseUrl}/user_impersonation`, 'offline_access']);
    const { tokens, target: t } = await authorize(dyn, target(), appOf(h.account));
    expect(tokens.refreshToken).toBeTruthy();
    const credentials = { method: 'oauth' as const, accessToken: tokens.accessToken };
    expect((await dyn.check({ http, target: t, credentials })).account).toBe(`admin@sandbox.crm-sync.test @ ${host()} (organization 8c2f6d41-7a3e-4b95-b0d2-3e9f1c6a5b78)`);

    const renewed = await refresh(dyn, t, appOf(h.account), tokens.refreshToken as string);
    expect(renewed.tokens.refreshToken).toBeTruthy();
    expect(renewed.tokens.refreshToken).not.toBe(tokens.refreshToken);
    expect((await dyn.check({ http, target: t, credentials: { method: 'oauth', accessToken: renewed.tokens.accessToken } })).account).toContain('admin@sandbox.crm-sync.test');
    // The old refresh token is spent: whoever kept it must reconnect.
    expectAuthFailure(await failureOf(refresh(dyn, t, appOf(h.account), tokens.refreshToken as string)), 'dynamics', /Reconnect Microsoft Dynamics 365/);
  });

  it('refuses a bad access token with an auth error telling to reconnect', async () => {
    const err = await failureOf(dyn.check({ http, target: target(), credentials: { method: 'oauth', accessToken: 'aad-at-nope' } }));
    expectAuthFailure(err, 'dynamics', /Reconnect Microsoft Dynamics 365/);
    expect(err.details.status).toBe(401);
  });

  it('connects as an application user with client credentials (scope <environment>/.default)', async () => {
    const token = await dyn.serviceToken!({ http, target: target(), ...service() });
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    const check = await dyn.check({ http, target: target(), credentials: { ...service(), accessToken: token.accessToken } });
    expect(check.account).toBe(`crm-sync-app@sandbox.crm-sync.test @ ${host()} (organization 8c2f6d41-7a3e-4b95-b0d2-3e9f1c6a5b78)`);
    expect((await dyn.check({ http, target: target(), credentials: service() })).account).toBe(check.account);
  });

  it('names a wrong client secret, and needs the tenant for a service connection', async () => {
    const err = await failureOf(dyn.check({ http, target: target(), credentials: { ...service(), clientSecret: 'wrong' } }));
    expectAuthFailure(err, 'dynamics', /Check the client id and secret/);
    expect(err.message).toContain('AADSTS7000215');
    const noTenant = await failureOf(dyn.check({ http, target: { ...target(), tenantId: undefined }, credentials: service() }));
    expect([noTenant.kind, noTenant.message]).toEqual(['invalid', expect.stringContaining('tenant id')]);
  });

  it('uses login.microsoftonline.com and *.dynamics.com in production', () => {
    const prod = { instanceUrl: 'https://acme.crm4.dynamics.com', tenantId: 'contoso.onmicrosoft.com' };
    expect(dyn.oauth!.endpoints(prod).tokenUrl).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(dyn.oauth!.endpoints({ instanceUrl: prod.instanceUrl }).authorizeUrl).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
    expect(dyn.oauth!.endpoints(prod).scopes).toEqual(['https://acme.crm4.dynamics.com/user_impersonation', 'offline_access']);
    expect(dyn.apiBase(prod)).toBe('https://acme.crm4.dynamics.com/api/data/v9.2');
    const allowed = (h: string) => dyn.instanceHosts.some((r) => r.test(h));
    expect(['acme.crm.dynamics.com', 'acme.crm11.dynamics.com'].every(allowed)).toBe(true);
    expect(allowed('dynamics.com.evil.test')).toBe(false);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pipedriveConnection as pd } from '../../src/connectors/pipedrive/connection.js';
import { appOf, authorize, expectAuthFailure, failureOf, http, refresh, startFor, type ConnectorHarness } from './support.js';

const ADMIN = 'admin@sandbox.crm-sync.test @ Sandbox Inc (sandbox-inc.pipedrive.com)';

describe('Pipedrive connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('pipedrive');
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  it('connects with the personal API token in the x-api-token header', async () => {
    const apiKey = String(h.account.credentials.apiToken);
    expect(pd.authHeaders({ method: 'api_key', apiKey }, h.target)).toEqual({ 'x-api-token': apiKey });
    expect((await pd.check({ http, target: h.target, credentials: { method: 'api_key', apiKey } })).account).toBe(ADMIN);
  });

  it('refuses a wrong API token with an auth error telling to reconnect', async () => {
    const err = await failureOf(pd.check({ http, target: h.target, credentials: { method: 'api_key', apiKey: '0'.repeat(40) } }));
    expectAuthFailure(err, 'pipedrive', /Reconnect Pipedrive/);
    expect(err.message).toContain('unauthorized access');
  });

  it('connects with OAuth (Basic client auth): api_domain becomes the API base; refresh keeps the refresh token', async () => {
    const { tokens, target } = await authorize(pd, h.target, appOf(h.account));
    expect(target.apiUrl).toBe(h.account.baseUrl);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    const credentials = { method: 'oauth' as const, accessToken: tokens.accessToken };
    expect((await pd.check({ http, target, credentials })).account).toBe(ADMIN);

    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=pipedrive`, { method: 'POST' });
    expectAuthFailure(await failureOf(pd.check({ http, target, credentials })), 'pipedrive', /Reconnect Pipedrive/);
    const renewed = await refresh(pd, target, appOf(h.account), tokens.refreshToken as string);
    expect(renewed.tokens.refreshToken).toBe(tokens.refreshToken);
    expect((await pd.check({ http, target, credentials: { method: 'oauth', accessToken: renewed.tokens.accessToken } })).account).toBe(ADMIN);
  });

  it('names wrong app credentials and a revoked grant', async () => {
    const wrongApp = await failureOf(authorize(pd, h.target, { ...appOf(h.account), clientSecret: 'wrong' }));
    expectAuthFailure(wrongApp, 'pipedrive', /Check the client id and secret/);

    const { tokens, target } = await authorize(pd, h.target, appOf(h.account));
    const app = appOf(h.account);
    await http({
      method: 'POST',
      url: pd.oauth!.endpoints(target).revokeUrl as string,
      headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: tokens.refreshToken as string, token_type_hint: 'refresh_token' }),
    });
    expectAuthFailure(await failureOf(pd.check({ http, target, credentials: { method: 'oauth', accessToken: tokens.accessToken } })), 'pipedrive');
    expectAuthFailure(await failureOf(refresh(pd, target, app, tokens.refreshToken as string)), 'pipedrive', /Reconnect Pipedrive/);
  });

  it('uses the vendor hosts in production', () => {
    const ep = pd.oauth!.endpoints({});
    expect([ep.authorizeUrl, ep.tokenUrl]).toEqual(['https://oauth.pipedrive.com/oauth/authorize', 'https://oauth.pipedrive.com/oauth/token']);
    expect(pd.oauth!.clientAuth).toBe('basic');
    expect(pd.apiBase({})).toBe('https://api.pipedrive.com');
    expect(pd.apiBase({ apiUrl: 'https://acme.pipedrive.com' })).toBe('https://acme.pipedrive.com');
  });
});

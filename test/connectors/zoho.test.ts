import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zohoConnection as zoho } from '../../src/connectors/zoho/connection.js';
import { appOf, authorize, expectAuthFailure, failureOf, http, refresh, startFor, type ConnectorHarness } from './support.js';

const ORG = 'Sandbox Motors (org 60045000001';

describe('Zoho CRM connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('zoho');
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  it('connects with OAuth in the US data centre with the scopes crm-sync asks for, and refreshes', async () => {
    const { tokens, target, callback } = await authorize(zoho, h.target, appOf(h.account));
    expect(callback.searchParams.get('location')).toBe('us');
    expect(target.apiUrl).toBe(h.account.baseUrl);
    expect(tokens.refreshToken).toBeTruthy();
    const credentials = { method: 'oauth' as const, accessToken: tokens.accessToken };
    expect(zoho.authHeaders(credentials, target)).toEqual({ authorization: `Zoho-oauthtoken ${tokens.accessToken}` });
    expect((await zoho.check({ http, target, credentials })).account).toBe(`${ORG})`);

    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=zoho`, { method: 'POST' });
    expectAuthFailure(await failureOf(zoho.check({ http, target, credentials })), 'zoho', /Reconnect Zoho CRM/);
    const renewed = await refresh(zoho, target, appOf(h.account), tokens.refreshToken as string);
    expect(renewed.tokens.refreshToken).toBeUndefined(); // Zoho does not rotate
    expect((await zoho.check({ http, target, credentials: { method: 'oauth', accessToken: renewed.tokens.accessToken } })).account).toContain(ORG);
  });

  it('works with the seeded refresh token of a self client', async () => {
    const { tokens, target } = await refresh(zoho, h.target, appOf(h.account), String(h.account.credentials.refresh_token));
    expect((await zoho.check({ http, target, credentials: { method: 'oauth', accessToken: tokens.accessToken } })).account).toContain(ORG);
  });

  it('connects in the EU data centre: its own accounts server and API domain; a US call with the EU token fails', async () => {
    const eu = { ...h.target, region: 'eu' };
    expect(zoho.oauth!.endpoints(eu).tokenUrl).toBe(`${h.account.baseUrl}/accounts/eu/oauth/v2/token`);
    const { tokens, target, callback } = await authorize(zoho, eu, appOf(h.account));
    expect(callback.searchParams.get('location')).toBe('eu');
    expect(target.apiUrl).toBe(`${h.account.baseUrl}/eu`);
    expect(target.apiUrl).not.toBe(zoho.apiBase(h.target));
    const credentials = { method: 'oauth' as const, accessToken: tokens.accessToken };
    expect((await zoho.check({ http, target, credentials })).account).toBe(`${ORG}, eu data centre)`);

    const onUs = await failureOf(zoho.check({ http, target: h.target, credentials }));
    expectAuthFailure(onUs, 'zoho', /Reconnect Zoho CRM/);
    expect(onUs.details.vendorCode).toBe('INVALID_TOKEN');

    // Zoho answers token errors with HTTP 200 and {error}: still an auth failure.
    expectAuthFailure(await failureOf(refresh(zoho, h.target, appOf(h.account), tokens.refreshToken as string)), 'zoho', /Reconnect Zoho CRM/);
    await expect(refresh(zoho, eu, appOf(h.account), tokens.refreshToken as string)).resolves.toMatchObject({ target: { apiUrl: `${h.account.baseUrl}/eu` } });
  });

  it('names a wrong access token and wrong app credentials', async () => {
    expectAuthFailure(await failureOf(zoho.check({ http, target: h.target, credentials: { method: 'oauth', accessToken: '1000.nope' } })), 'zoho', /Reconnect Zoho CRM/);
    const wrongApp = await failureOf(refresh(zoho, h.target, { ...appOf(h.account), clientSecret: 'wrong' }, String(h.account.credentials.refresh_token)));
    expectAuthFailure(wrongApp, 'zoho', /Check the client id and secret/);
  });

  it('uses each data centre’s real hosts in production and refuses an unknown one', () => {
    expect(zoho.oauth!.endpoints({}).authorizeUrl).toBe('https://accounts.zoho.com/oauth/v2/auth');
    expect(zoho.oauth!.endpoints({ region: 'au' }).tokenUrl).toBe('https://accounts.zoho.com.au/oauth/v2/token');
    expect(zoho.oauth!.endpoints({ region: 'ca' }).tokenUrl).toBe('https://accounts.zohocloud.ca/oauth/v2/token');
    expect(zoho.oauth!.endpoints({}).authorizeParams).toEqual({ access_type: 'offline', prompt: 'consent' });
    expect(zoho.apiBase({ region: 'eu' })).toBe('https://www.zohoapis.eu');
    expect(zoho.apiBase({ region: 'cn' })).toBe('https://www.zohoapis.com.cn');
    expect(zoho.apiBase({ region: 'eu', apiUrl: 'https://www.zohoapis.eu/' })).toBe('https://www.zohoapis.eu');
    expect(() => zoho.apiBase({ region: 'mars' })).toThrow(/us, eu, in, au, jp, ca, cn, sa/);
    expect(zoho.instanceHosts.some((r) => r.test('www.zohoapis.sa'))).toBe(true);
    expect(zoho.instanceHosts.some((r) => r.test('www.zohoapis.eu.evil.test'))).toBe(false);
  });
});

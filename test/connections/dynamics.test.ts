import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness } from './support-harness.js';

describe.each(TEST_DIALECTS)('connecting Microsoft Dynamics 365 on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = () => h.s.sandboxUrl('dynamics');
  const seeded = async () => (await h.s.account('dynamics')).credentials;
  const service = async (clientSecret?: string) => {
    const c = await seeded();
    return { crm: 'dynamics', auth: { method: 'service', clientId: c.clientId!, clientSecret: clientSecret ?? c.clientSecret!, instanceUrl: base(), tenantId: c.tenantId! }, baseUrl: base() };
  };
  const ORG = '8c2f6d41-7a3e-4b95-b0d2-3e9f1c6a5b78';
  let id: string;

  it('offers OAuth and an application registration (client credentials)', async () => {
    expect(await h.authMethods('dynamics')).toEqual(['oauth', 'service']);
  });

  it('refuses a wrong client secret, naming what Azure AD refused, and stores nothing', async () => {
    const message = await h.refused(await service('not-the-client-secret'));
    expect(message).toMatch(/Microsoft Dynamics 365 refused the app credentials \("AADSTS7000215/);
    expect(message).toMatch(/client id and secret/);
    expect(await h.list()).toEqual([]);
  });

  it('asks for the tenant id of a service connection', async () => {
    const body = await service();
    const { tenantId: _tenantId, ...auth } = body.auth;
    const res = await h.api('POST', '/v1/connections', { ...body, auth });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/"path":"tenantId"/);
  });

  it('connects an application user with client credentials, and Test Connection keeps it connected', async () => {
    const view = await h.connect(await service());
    expect(view).toMatchObject({ crm: 'dynamics', status: 'connected', authMethod: 'service', lastError: null, target: { instanceUrl: base(), tenantId: (await seeded()).tenantId } });
    id = view.id;
    // Client-credentials tokens act as the application user "# crm-sync".
    expect(view.account).toMatch(new RegExp(`^crm-sync-app@sandbox\\.crm-sync\\.test @ 127\\.0\\.0\\.1:\\d+ \\(organization ${ORG}\\)$`));
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    await h.view(id);
    await h.list();
    h.expectNoSecret((await seeded()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('service: gets a new token when the old one expired, and stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('dynamics');
    await h.expireTokens('dynamics');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('dynamics')).toBe(requests + 1);
    expect(await h.credentials(id)).not.toEqual(before);
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('disconnects, then connects with OAuth against the tenant and environment', async () => {
    await h.disconnect(id);
    const { tenantId } = await seeded();
    const view = await h.connectOAuth('dynamics', { baseUrl: base(), tenantId: tenantId!, instanceUrl: base() });
    expect(view).toMatchObject({ id, crm: 'dynamics', status: 'connected', authMethod: 'oauth', lastError: null, target: { tenantId, instanceUrl: base() } });
    expect(view.account).toMatch(new RegExp(`^admin@sandbox\\.crm-sync\\.test @ 127\\.0\\.0\\.1:\\d+ \\(organization ${ORG}\\)$`));
    expect((await h.test(id)).status).toBe('connected');
    const creds = await h.credentials(id);
    expect(creds.method === 'oauth' && creds.refreshToken && creds.expiresAt).toBeTruthy();
    h.expectNoSecret((await seeded()).clientSecret, ...(await h.secretsOf(id)));
  });

  it('OAuth: refreshes an expired token on Test Connection, stores the rotated refresh token, stays connected', async () => {
    const before = await h.credentials(id);
    const requests = await h.tokenRequests('dynamics');
    await h.expireTokens('dynamics');
    const tested = await h.test(id);
    expect(tested).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('dynamics')).toBe(requests + 1);
    const after = await h.credentials(id);
    // Azure AD rotates: the old refresh token is dead, so the new one must have been stored.
    expect(after.method === 'oauth' && before.method === 'oauth' && after.refreshToken !== before.refreshToken).toBe(true);
    // ...and it works: a second expiry refreshes again with it.
    await h.expireTokens('dynamics');
    expect((await h.test(id)).status).toBe('connected');
    h.expectNoSecret(...(await h.secretsOf(id)));
  });

  it('OAuth: sign-in sessions revoked in Microsoft Graph lead to needs_reconnect, logged once, with no retry loop', async () => {
    // An Entra ID admin revokes the user's sessions (Graph, with a token of the tenant).
    const c = await seeded();
    const token = await fetch(`${base()}/login/${c.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId!, client_secret: c.clientSecret!, scope: `${base()}/.default` }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const revoke = await fetch(`${base()}/graph/v1.0/users/${encodeURIComponent('admin@sandbox.crm-sync.test')}/revokeSignInSessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(revoke.status).toBe(200);
    await h.expireTokens('dynamics');
    await h.expectNeedsReconnect('dynamics', id, /Microsoft Dynamics 365 refused the grant \("AADSTS50173/);
  });

  it('reconnects with OAuth after needs_reconnect', async () => {
    const { tenantId } = await seeded();
    const view = await h.connectOAuth('dynamics', { baseUrl: base(), tenantId: tenantId!, instanceUrl: base() });
    expect(view).toMatchObject({ id, status: 'connected', lastError: null });
    expect((await h.test(id)).status).toBe('connected');
  });

  // Without a tenant id, OAuth starts at Azure AD's multi-tenant endpoint /organizations/, asking
  // for openid too: the id_token's tid names the user's tenant, kept for the refreshes that follow.
  it('connects with OAuth without a tenant id, through the organizations endpoint, and keeps the tenant it learned', async () => {
    await h.disconnect(id);
    const { tenantId } = await seeded();
    const view = await h.connectOAuth('dynamics', { baseUrl: base(), instanceUrl: base() });
    expect(view).toMatchObject({ id, status: 'connected', authMethod: 'oauth', target: { instanceUrl: base(), tenantId } });
    expect(view.account).toMatch(/^admin@sandbox\.crm-sync\.test @ /);
    const requests = await h.tokenRequests('dynamics');
    await h.expireTokens('dynamics');
    expect(await h.test(id)).toMatchObject({ status: 'connected', lastError: null });
    expect(await h.tokenRequests('dynamics')).toBe(requests + 1);
  });
});

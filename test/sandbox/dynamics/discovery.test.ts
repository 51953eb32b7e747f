import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP, ENVIRONMENT, ORGANIZATION_ID, TENANT_ID } from '../../../src/sandbox/dynamics/facts.js';
import { startDataverse, type DataverseHarness } from './helpers.js';

type Instance = Record<string, unknown>;

describe('Dataverse sandbox: the organizations endpoint and the Global Discovery Service', () => {
  let h: DataverseHarness;
  beforeAll(async () => {
    h = await startDataverse();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const token = (tenant: string, body: Record<string, string>) =>
    fetch(`${h.base}/login/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  const discovery = (path: string, bearer: string | null = h.token) => fetch(`${h.base}/api/discovery/v2.0/${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  it('signs a work account in through /organizations/: consent, code, a token for the environment and an id_token naming the tenant', async () => {
    const params = new URLSearchParams({ client_id: APP.clientId, response_type: 'code', redirect_uri: 'http://localhost/cb', scope: `${h.base}/user_impersonation offline_access openid`, state: 's' });
    const authorizeUrl = `${h.base}/login/organizations/oauth2/v2.0/authorize?${params}`;
    expect(await (await fetch(authorizeUrl)).text()).toContain('>Approve</button>');
    const approved = await fetch(authorizeUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(params), decision: 'approve' }) });
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    const res = await token('organizations', { grant_type: 'authorization_code', client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: 'http://localhost/cb' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; refresh_token: string; id_token: string };
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString()) as { tid: string };
    expect(claims.tid).toBe(TENANT_ID);
    expect((await h.call('WhoAmI()', { token: body.access_token })).status).toBe(200);
    // The refresh token works at the tenant's own endpoint too.
    expect((await token(TENANT_ID, { grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret, refresh_token: body.refresh_token })).status).toBe(200);
  });

  it('refuses client credentials at /organizations/ and /common/ (AADSTS50059), and an unknown tenant (AADSTS90002)', async () => {
    for (const tenant of ['organizations', 'common']) {
      const res = await token(tenant, { grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret, scope: `${h.base}/.default` });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request', error_codes: [50059] });
    }
    const unknown = await token('contoso.onmicrosoft.com', { grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret, scope: `${h.base}/.default` });
    expect(await unknown.json()).toMatchObject({ error_codes: [90002] });
  });

  it('lists the environment the user can reach as Instances, in the real service shape', async () => {
    const res = await discovery('Instances');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { '@odata.context': string; value: Instance[] };
    expect(body['@odata.context']).toBe(`${h.base}/api/discovery/v2.0/$metadata#Instances`);
    expect(body.value).toEqual([
      expect.objectContaining({
        Id: ORGANIZATION_ID,
        UniqueName: ENVIRONMENT.uniqueName,
        UrlName: 'crmsyncsandbox',
        FriendlyName: 'crm-sync sandbox',
        State: 0,
        Version: ENVIRONMENT.version,
        Url: h.base,
        ApiUrl: h.base,
        TenantId: TENANT_ID,
        EnvironmentId: ENVIRONMENT.environmentId,
        Region: 'EMEA',
        // The application user is not a system administrator.
        IsUserSysAdmin: false,
      }),
    ]);
  });

  it('reads one instance by id or unique name, with $select; an unknown one is 404, no token 401', async () => {
    const byId = (await (await discovery(`Instances(${ORGANIZATION_ID})?$select=Url,ApiUrl`)).json()) as Instance;
    expect(byId).toEqual({ '@odata.context': `${h.base}/api/discovery/v2.0/$metadata#Instances/$entity`, Url: h.base, ApiUrl: h.base });
    const byName = (await (await discovery(`Instances(UniqueName='${ENVIRONMENT.uniqueName}')`)).json()) as Instance;
    expect(byName).toMatchObject({ Id: ORGANIZATION_ID, TenantId: TENANT_ID });
    expect((await discovery("Instances(UniqueName='nosuchorg')")).status).toBe(404);
    expect((await discovery('Instances', null)).status).toBe(401);
    expect((await fetch(`${h.base}/api/discovery/v1.0/Instances`, { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(404);
  });
});

import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamicsConnection as dyn } from '../../src/connectors/dynamics/connection.js';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import type { RunningSandbox } from '../support/sandbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { authorize, json, zoho } from './zoho/helpers.js';

// The fakes as crm-sync mounts them on its own server (over either store): paths with a trailing
// slash, a Dataverse query option the fake cannot run, and Zoho's module metadata by name.
describe.each(TEST_DIALECTS)('the sandbox mounted on crm-sync on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s.close());

  it("HubSpot's SDK lists owners at /crm/v3/owners/", async () => {
    const hubspot = new Client({ accessToken: (await s.account('hubspot')).credentials.privateAppToken, basePath: s.sandboxUrl('hubspot') });
    const owners = await hubspot.crm.owners.ownersApi.getPage(undefined, undefined, 10);
    expect(owners.results.length).toBeGreaterThan(0);
  });

  it('Dynamics 365 refuses fetchXml instead of answering every contact', async () => {
    const account = (await s.account('dynamics')).credentials;
    const target = { baseUrl: s.sandboxUrl('dynamics'), instanceUrl: s.sandboxUrl('dynamics'), tenantId: account.tenantId };
    const token = (await dyn.serviceToken!({ http: createCrmHttp(), target, clientId: account.clientId!, clientSecret: account.clientSecret! })).accessToken;
    const fetchXml = '<fetch><entity name="contact"><filter><condition attribute="lastname" operator="eq" value="Nobody"/></filter></entity></fetch>';
    const res = await fetch(`${s.sandboxUrl('dynamics')}/api/data/v9.2/contacts?fetchXml=${encodeURIComponent(fetchXml)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: '0x80060888', message: 'The query parameter fetchXml is not supported' } });
  });

  it('Zoho CRM serves one module by API name, also with a trailing slash', async () => {
    const sb = { baseUrl: (crm: 'zoho') => s.sandboxUrl(crm) } as unknown as RunningSandbox;
    const token = (await authorize(sb)).access_token;
    for (const path of ['/settings/modules/Contacts', '/settings/modules/Contacts/']) {
      const body = await json<{ modules: { api_name: string }[] }>(await zoho(sb, token, path));
      expect(body.modules.map((m) => m.api_name), path).toEqual(['Contacts']);
    }
  });
});

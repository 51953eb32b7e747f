import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autochatConnection as ac } from '../../src/connectors/autochat/connection.js';
import { expectAuthFailure, failureOf, http, startFor, type ConnectorHarness } from './support.js';

describe('AutoChat CRM connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('autochat');
  });
  afterAll(() => h.sb.close());

  it('connects with the API key as a bearer token, on the server URL', async () => {
    const apiKey = String(h.account.credentials.apiKey);
    expect(ac.authHeaders({ method: 'api_key', apiKey }, h.target)).toEqual({ authorization: `Bearer ${apiKey}` });
    expect(ac.apiBase(h.target)).toBe(`${h.account.baseUrl}/api/v1`);
    const account = `AutoChat CRM at ${new URL(h.sb.origin).host}`;
    expect((await ac.check({ http, target: h.target, credentials: { method: 'api_key', apiKey } })).account).toBe(account);
    expect((await ac.check({ http, target: { instanceUrl: `${h.account.baseUrl}/` }, credentials: { method: 'api_key', apiKey } })).account).toBe(account);
  });

  it('refuses a wrong API key with an auth error telling to reconnect', async () => {
    const err = await failureOf(ac.check({ http, target: h.target, credentials: { method: 'api_key', apiKey: 'ac_live_00000000000000000000000000000000' } }));
    expectAuthFailure(err, 'autochat', /Reconnect AutoChat CRM/);
    expect(err.message).toContain('The API key is not valid');
    expect(err.details.vendorCode).toBe('unauthorized');
  });

  it('without a server URL, calls the hosted service: the URL is only for a self-hosted AutoChat', () => {
    expect(ac.apiBase({})).toBe('https://api.autoch.at/api/v1');
    expect(ac.apiBase({ instanceUrl: 'https://crm.acme.example/' })).toBe('https://crm.acme.example/api/v1');
    expect(ac.targetFields.map((f) => [f.name, f.required])).toEqual([['instanceUrl', false]]);
  });
});

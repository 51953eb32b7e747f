import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odooConnection as odoo } from '../../src/connectors/odoo/connection.js';
import type { Credentials } from '../../src/connectors/types.js';
import { expectAuthFailure, failureOf, http, startFor, type ConnectorHarness } from './support.js';

describe('Odoo connection against the sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startFor('odoo');
  });
  afterAll(() => h.sb.close());

  const seeded = (): Credentials => ({
    method: 'api_key',
    apiKey: String(h.account.credentials.api_key),
    database: String(h.account.credentials.database),
    username: String(h.account.credentials.login),
  });
  const target = () => ({ instanceUrl: String(h.account.credentials.url) });

  it('connects with the API key over JSON-2, naming the database in X-Odoo-Database', async () => {
    expect(odoo.authHeaders(seeded(), target())).toEqual({ authorization: `bearer ${String(h.account.credentials.api_key)}`, 'x-odoo-database': 'sandbox' });
    expect((await odoo.check({ http, target: target(), credentials: seeded() })).account).toBe(`admin@sandbox.crm-sync.test @ ${new URL(h.sb.origin).host} (database sandbox)`);
    // The sandbox base works as the server URL too.
    expect((await odoo.check({ http, target: h.target, credentials: seeded() })).account).toContain('admin@sandbox.crm-sync.test');
  });

  it('refuses a wrong API key, database or login with an auth error naming what to check', async () => {
    const key = await failureOf(odoo.check({ http, target: target(), credentials: { ...seeded(), apiKey: 'f'.repeat(40) } as Credentials }));
    expectAuthFailure(key, 'odoo', /Reconnect Odoo/);
    expect(key.message).toContain('Invalid apikey');

    const db = await failureOf(odoo.check({ http, target: target(), credentials: { ...seeded(), database: 'nope' } as Credentials }));
    expectAuthFailure(db, 'odoo', /Check the database name/);

    const login = await failureOf(odoo.check({ http, target: target(), credentials: { ...seeded(), username: 'nobody@example.test' } as Credentials }));
    expectAuthFailure(login, 'odoo', /Check the login/);
  });

  it('explains a server that is not Odoo (neither JSON-2 nor /jsonrpc)', async () => {
    const err = await failureOf(odoo.check({ http, target: { instanceUrl: `${h.sb.origin}/sandbox/hubspot` }, credentials: seeded() }));
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe("This server answers neither Odoo's JSON-2 API (/json/2, Odoo 19 and later) nor its /jsonrpc API (earlier versions). Check the server URL.");
  });

  const legacy = () => ({ instanceUrl: String((h.account as { legacyServerUrl?: string }).legacyServerUrl) });

  it('learns at connect which API the server speaks: JSON-2 on Odoo 19, /jsonrpc with the uid on Odoo 17', async () => {
    expect((await odoo.check({ http, target: target(), credentials: seeded() })).target).toEqual({ odoo: { protocol: 'json2', uid: 2 } });
    const old = await odoo.check({ http, target: legacy(), credentials: seeded() });
    expect(old).toEqual({ account: `admin@sandbox.crm-sync.test @ ${new URL(h.sb.origin).host} (database sandbox)`, target: { odoo: { protocol: 'jsonrpc', uid: 2, version: '17.0' } } });
    // The admin's choice wins: /jsonrpc on a server that has both.
    expect((await odoo.check({ http, target: { ...target(), api: 'jsonrpc' }, credentials: seeded() })).target).toEqual({ odoo: { protocol: 'jsonrpc', uid: 2, version: '19.0' } });
  });

  it('over /jsonrpc refuses a wrong key or login as auth, naming login and database, and an unknown database by name', async () => {
    const key = await failureOf(odoo.check({ http, target: legacy(), credentials: { ...seeded(), apiKey: 'f'.repeat(40) } as Credentials }));
    expect(key.kind).toBe('auth');
    expect(key.message).toBe('Odoo 17.0 refused the login "admin@sandbox.crm-sync.test" with this API key in database "sandbox" (common.authenticate answered false). Check the login and the API key.');
    const login = await failureOf(odoo.check({ http, target: legacy(), credentials: { ...seeded(), username: 'nobody@example.test' } as Credentials }));
    expect(login.message).toContain('refused the login "nobody@example.test"');
    const db = await failureOf(odoo.check({ http, target: legacy(), credentials: { ...seeded(), database: 'nope' } as Credentials }));
    expect(db.kind).toBe('auth');
    expect(db.message).toMatch(/Odoo has no database "nope" on this server .*Check the database name/);
  });

  it('says JSON-2 needs Odoo 19 when the admin chose it for an older server', async () => {
    const err = await failureOf(odoo.check({ http, target: { ...legacy(), api: 'json2' }, credentials: seeded() }));
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/does not serve the JSON-2 API \(\/json\/2\), which came with Odoo 19\. For an earlier Odoo choose the API "jsonrpc"/);
  });

  it('over /jsonrpc sends the key in execute_kw, not in a header; over JSON-2 in the header only', () => {
    const rpcTarget = { ...legacy(), odoo: { protocol: 'jsonrpc' as const, uid: 2 } };
    expect(odoo.authHeaders(seeded(), rpcTarget)).toEqual({});
    const call = { method: 'POST' as const, url: `${legacy().instanceUrl}/jsonrpc`, body: { jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [null, 2, null, 'res.partner', 'search', [[]], {}] } } };
    const signed = odoo.authRequest!(seeded(), rpcTarget, call);
    expect((signed.body as { params: { args: unknown[] } }).params.args).toEqual(['sandbox', 2, String(h.account.credentials.api_key), 'res.partner', 'search', [[]], {}]);
    expect(call.body.params.args[2]).toBeNull(); // the connector's request is left as it was
    expect(odoo.authRequest!(seeded(), target(), call)).toBe(call);
  });

  it('allows any host for a self-hosted server and needs the server URL', () => {
    expect(['acme.odoo.com', 'erp.example.org'].every((host) => odoo.instanceHosts.some((r) => r.test(host)))).toBe(true);
    expect(odoo.apiBase({ instanceUrl: 'https://acme.odoo.com/' })).toBe('https://acme.odoo.com');
    expect(() => odoo.apiBase({})).toThrow(/server URL/);
    expect(odoo.apiKeyFields.map((f) => f.name)).toEqual(['apiKey', 'database', 'username']);
    expect(odoo.targetFields.map((f) => [f.name, f.required])).toEqual([['instanceUrl', true], ['api', false]]);
  });
});

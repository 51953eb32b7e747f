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

  it('explains a server without JSON-2 (not Odoo 19)', async () => {
    const err = await failureOf(odoo.check({ http, target: { instanceUrl: `${h.sb.origin}/sandbox/hubspot` }, credentials: seeded() }));
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/Odoo 19/);
  });

  it('allows any host for a self-hosted server and needs the server URL', () => {
    expect(['acme.odoo.com', 'erp.example.org'].every((host) => odoo.instanceHosts.some((r) => r.test(host)))).toBe(true);
    expect(odoo.apiBase({ instanceUrl: 'https://acme.odoo.com/' })).toBe('https://acme.odoo.com');
    expect(() => odoo.apiBase({})).toThrow(/server URL/);
    expect(odoo.apiKeyFields.map((f) => f.name)).toEqual(['apiKey', 'database', 'username']);
  });
});

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJson } from '../../src/store/store.js';
import { startOAuth } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness, type ErrorBody } from './support-harness.js';

const SECRET = 'internal-admin-password-7f3a';

/**
 * With the sandbox on, a connection must not turn crm-sync into a relay to other services on
 * its machine: targets name this server's own sandbox mount of that CRM and nothing else, a
 * stored target is checked again on every request, and no answer's body is echoed.
 */
describe.each(TEST_DIALECTS)('connections cannot reach other local services, on %s', (dialect) => {
  const h = Harness.start(dialect);
  // Another service on the same machine, with something to hide.
  let other: Server;
  let otherOrigin: string;
  const reached: string[] = [];
  beforeAll(async () => {
    other = createServer((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.writeHead(401, { 'content-type': 'text/html' }).end(`<h1>Admin</h1><p>password: ${SECRET}</p>`);
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherOrigin = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => other.close(() => r())));

  const refusedTarget = async (body: Record<string, unknown>) => {
    const res = await h.api('POST', '/v1/connections', body);
    expect(res.status, res.text).toBe(400);
    const { error } = res.json<ErrorBody>();
    expect(error.code).toBe('validation_failed');
    return error.details!.map((d) => d.path);
  };

  it('refuses a baseUrl at another local port, even with a /sandbox/<crm> path, without reaching it', async () => {
    expect(await refusedTarget({ crm: 'hubspot', auth: { method: 'api_key', apiKey: 'pat-na1-x' }, baseUrl: `${otherOrigin}/sandbox/hubspot` })).toEqual(['baseUrl']);
    expect(await refusedTarget({ crm: 'pipedrive', auth: { method: 'api_key', apiKey: 'x'.repeat(40) }, baseUrl: `${otherOrigin}/sandbox/pipedrive/` })).toEqual(['baseUrl']);
    expect(reached).toEqual([]);
  });

  it("refuses this server's mount of another CRM, or any other path on it", async () => {
    expect(await refusedTarget({ crm: 'hubspot', auth: { method: 'api_key', apiKey: 'pat-na1-x' }, baseUrl: h.s.sandboxUrl('pipedrive') })).toEqual(['baseUrl']);
    expect(await refusedTarget({ crm: 'hubspot', auth: { method: 'api_key', apiKey: 'pat-na1-x' }, baseUrl: `${h.s.origin}/v1` })).toEqual(['baseUrl']);
  });

  it('refuses an Odoo or AutoChat server URL at another local port without reaching it', async () => {
    const odoo = (await h.s.account('odoo')).credentials;
    expect(await refusedTarget({ crm: 'odoo', auth: { method: 'api_key', apiKey: odoo.api_key!, database: 'db', username: 'admin', url: `${otherOrigin}/` } })).toEqual(['instanceUrl']);
    expect(await refusedTarget({ crm: 'autochat', auth: { method: 'api_key', apiKey: 'k' }, instanceUrl: `${otherOrigin}/sandbox/autochat` })).toEqual(['instanceUrl']);
    expect(reached).toEqual([]);
  });

  it('refuses to start OAuth against another local port without reaching it', async () => {
    const res = await startOAuth(h.s.origin, 'zoho', { baseUrl: `${otherOrigin}/sandbox/zoho` }, h.s.auth);
    expect(res.status).toBe(400);
    expect(reached).toEqual([]);
  });

  it('checks a stored target again on every request: Test Connection of one that points elsewhere reaches nothing and echoes nothing', async () => {
    const hub = await h.s.account('hubspot');
    const view = await h.connect({ crm: 'hubspot', auth: { method: 'api_key', apiKey: hub.credentials.privateAppToken }, baseUrl: h.s.sandboxUrl('hubspot') });
    // As a target saved before these checks, or a name that now resolves elsewhere.
    await h.s.t.store.db
      .updateTable('connections')
      .set({ target: writeJson({ baseUrl: `${otherOrigin}/sandbox/hubspot` }) })
      .where('id', '=', view.id)
      .execute();
    const tested = await h.test(view.id);
    expect(tested.status).toBe('error');
    expect(tested.lastError).toMatch(/127\.0\.0\.1 is a private or local address/);
    expect(reached).toEqual([]);
    expect(h.seen.some((t) => t.includes(SECRET))).toBe(false);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { API_KEY, json2, ok, rpc } from './helpers.js';

/** The same database as an Odoo 17 server shows it, under /odoo17: what connectors of servers before 19 meet. */
describe('Odoo sandbox: the Odoo 17 mount and execute_kw as call_kw takes it', () => {
  let sb: RunningSandbox;
  const OLD = '/odoo17';
  const kw = (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, prefix = OLD) =>
    rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, model, method, args, ...(kwargs ? [kwargs] : [])], prefix);
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('odoo'));

  it('says it is 17.0 through common.version and the web client, and has no JSON-2 (a Werkzeug HTML 404)', async () => {
    expect((await rpc(sb, 'common', 'version', [], OLD)).body.result).toMatchObject({ server_serie: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''] });
    const info = await fetch(`${sb.baseUrl('odoo')}${OLD}/web/webclient/version_info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {}, id: 3 }) });
    expect(await info.json()).toMatchObject({ jsonrpc: '2.0', id: 3, result: { server_version: '17.0' } });
    const latest = await fetch(`${sb.baseUrl('odoo')}/web/webclient/version_info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","method":"call","params":{}}' });
    expect(((await latest.json()) as { result: { server_serie: string } }).result.server_serie).toBe('19.0');
    const none = await fetch(`${sb.baseUrl('odoo')}${OLD}/json/2/res.partner/search_read`, { method: 'POST', headers: { authorization: `bearer ${API_KEY}`, 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toMatch(/text\/html/);
    expect(await none.text()).toContain('<title>404 Not Found</title>');
  });

  it('authenticates with the API key, and serves the same database as the 19 mount', async () => {
    expect((await rpc(sb, 'common', 'authenticate', ['sandbox', 'admin@sandbox.crm-sync.test', API_KEY, {}], OLD)).body.result).toBe(2);
    expect((await rpc(sb, 'common', 'authenticate', ['sandbox', 'admin@sandbox.crm-sync.test', 'f'.repeat(40), {}], OLD)).body.result).toBe(false);
    const id = (await kw('res.partner', 'create', [{ name: 'Old Server', ref: 'crm-sync:c-1' }])).body.result as number;
    const seen = await ok<{ id: number; ref: string }[]>(await json2(sb, 'res.partner', 'search_read', { domain: [['ref', 'in', ['crm-sync:c-1']]], fields: ['ref'] }));
    expect(seen).toEqual([{ id, ref: 'crm-sync:c-1' }]);
  });

  it('takes create values and record ids positionally only, and message_post arguments as keywords only', async () => {
    const created = await kw('res.partner', 'create', [[{ name: 'A' }, { name: 'B' }]]);
    expect(created.body.result).toEqual([expect.any(Number), expect.any(Number)]);
    // call_kw reads args[0] to choose between an id and a list of ids.
    const named = await kw('res.partner', 'create', [], { vals_list: [{ name: 'C' }] });
    expect(named.body.error?.data).toMatchObject({ name: 'builtins.IndexError', message: 'tuple index out of range' });
    const [a] = created.body.result as number[];
    expect((await kw('res.partner', 'write', [[a], { ref: 'mine' }])).body.result).toBe(true);
    const positional = await kw('res.partner', 'message_post', [[a], 'a body']);
    expect(positional.body.error?.data).toMatchObject({ name: 'builtins.TypeError', message: 'message_post() takes 1 positional argument but 2 were given' });
    const posted = await kw('res.partner', 'message_post', [[a]], { body: 'a body', message_type: 'comment' });
    expect(posted.body.result).toEqual(expect.any(Number));
    const fields = await kw('res.partner', 'fields_get', [], { attributes: ['type', 'string'] });
    expect((fields.body.result as Record<string, unknown>).ref).toEqual({ type: 'char', string: 'Reference' });
  });
});

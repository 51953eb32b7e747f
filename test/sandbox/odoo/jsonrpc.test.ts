import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { API_KEY, PASSWORD, rpc } from './helpers.js';

describe('Odoo sandbox: /jsonrpc external API', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('odoo'));

  it('answers version, login and authenticate', async () => {
    const version = await rpc(sb, 'common', 'version', []);
    expect(version.body).toEqual({ jsonrpc: '2.0', id: 7, result: { server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''], server_serie: '19.0', protocol_version: 1 } });
    expect((await rpc(sb, 'common', 'login', ['sandbox', 'admin@sandbox.crm-sync.test', PASSWORD])).body.result).toBe(2);
    expect((await rpc(sb, 'common', 'authenticate', ['sandbox', 'admin@sandbox.crm-sync.test', API_KEY, {}])).body.result).toBe(2);
    expect((await rpc(sb, 'common', 'login', ['sandbox', 'admin@sandbox.crm-sync.test', 'wrong'])).body.result).toBe(false);
  });

  it('runs execute_kw with positional args and kwargs, create with a dict returning an id', async () => {
    const id = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.partner', 'create', [{ name: 'Rpc Person', email: 'rpc@x.test' }]]);
    expect(id.body.result).toEqual(expect.any(Number));
    const many = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, PASSWORD, 'res.partner', 'create', [[{ name: 'A' }, { name: 'B' }]]]);
    expect(many.body.result).toHaveLength(2);
    const read = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.partner', 'search_read', [[['email', '=', 'rpc@x.test']]], { fields: ['name', 'email'], limit: 5 }]);
    expect(read.body.result).toEqual([{ id: id.body.result, name: 'Rpc Person', email: 'rpc@x.test' }]);
    const write = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.partner', 'write', [[id.body.result], { phone: '+49 30 1' }]]);
    expect(write.body.result).toBe(true);
    const byRead = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.partner', 'read', [[id.body.result], ['phone']]]);
    expect(byRead.body.result).toEqual([{ id: id.body.result, phone: '+49 30 1' }]);
    const post = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.partner', 'message_post', [[id.body.result]], { body: 'hello', message_type: 'comment', subtype_xmlid: 'mail.mt_comment' }]);
    expect(post.body.result).toEqual(expect.any(Number));
    const count = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'mail.message', 'search_count', [[['res_id', '=', id.body.result], ['model', '=', 'res.partner']]]]);
    expect(count.body.result).toBe(1);
  });

  it('answers JSON-RPC error objects: AccessDenied, ValidationError, unknown model', async () => {
    const denied = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, 'wrong', 'res.partner', 'search', [[]]]);
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {} } },
    });
    expect(Object.keys(denied.body.error!.data).sort()).toEqual(['arguments', 'context', 'debug', 'message', 'name']);
    const invalid = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'crm.lead', 'create', [{ type: 'lead' }]]);
    expect(invalid.body.error?.data).toMatchObject({ name: 'odoo.exceptions.ValidationError' });
    const model = await rpc(sb, 'object', 'execute_kw', ['sandbox', 2, API_KEY, 'res.widget', 'search', [[]]]);
    expect(model.body.error?.data).toMatchObject({ name: 'odoo.exceptions.UserError', message: "Object res.widget doesn't exist" });
    const db = await rpc(sb, 'object', 'execute_kw', ['nope', 2, API_KEY, 'res.partner', 'search', [[]]]);
    expect(db.body.error?.data.name).toBe('psycopg2.OperationalError');
  });
});

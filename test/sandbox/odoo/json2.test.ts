import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { json2, ok } from './helpers.js';

describe('Odoo sandbox: JSON-2 API', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('odoo'));

  it('creates, reads, writes and unlinks partners with many2one as [id, name]', async () => {
    const [company] = await ok<number[]>(await json2(sb, 'res.partner', 'create', { vals_list: [{ name: 'Deco Addict', is_company: true, country_id: 233 }] }));
    const ids = await ok<number[]>(await json2(sb, 'res.partner', 'create', { vals_list: [{ name: 'Ann Lee', parent_id: company, email: 'ann@deco.test', phone: '+1 555 0101', user_id: 6 }, { name: 'Bo' }] }));
    expect(ids).toHaveLength(2);
    const [ann] = await ok<Record<string, unknown>[]>(await json2(sb, 'res.partner', 'read', { ids: [ids[0]], fields: ['name', 'parent_id', 'email', 'country_id', 'user_id', 'mobile', 'display_name', 'company_type'] }));
    expect(ann).toEqual({ id: ids[0], name: 'Ann Lee', parent_id: [company, 'Deco Addict'], email: 'ann@deco.test', country_id: false, user_id: [6, 'Sam Seller'], mobile: false, display_name: 'Deco Addict, Ann Lee', company_type: 'person' });
    expect(await ok(await json2(sb, 'res.partner', 'write', { ids: [ids[0]], vals: { mobile: '+1 555 0199', country_id: 75 } }))).toBe(true);
    const [after] = await ok<Record<string, unknown>[]>(await json2(sb, 'res.partner', 'read', { ids: [ids[0]], fields: ['mobile', 'country_id'] }));
    expect(after).toEqual({ id: ids[0], mobile: '+1 555 0199', country_id: [75, 'France'] });
    expect(await ok(await json2(sb, 'res.partner', 'unlink', { ids: [ids[1]] }))).toBe(true);
    const missing = await json2(sb, 'res.partner', 'read', { ids: [ids[1]], fields: ['name'] });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as Record<string, unknown>;
    expect(body.name).toBe('odoo.exceptions.MissingError');
    expect(body.message).toBe(`Record does not exist or has been deleted.\n(Record: res.partner(${ids[1]},), User: 2)`);
    expect(Object.keys(body).sort()).toEqual(['arguments', 'context', 'debug', 'message', 'name']);
  });

  it('searches with domains: ilike, in, not in, =?, <, and the & | ! prefix operators', async () => {
    await ok(await json2(sb, 'res.partner', 'create', {
      vals_list: [
        { name: 'Deco Addict', is_company: true, email: 'info@deco.test' },
        { name: 'Gemini Furniture', is_company: true, email: 'hello@gemini.test', country_id: 57 },
        { name: 'Azure Interior', is_company: true, country_id: 75 },
        { name: 'Old Partner', is_company: true, active: false },
      ],
    }));
    const names = async (domain: unknown[], extra: Record<string, unknown> = {}) =>
      (await ok<{ name: string }[]>(await json2(sb, 'res.partner', 'search_read', { domain, fields: ['name'], order: 'name asc', ...extra }))).map((r) => r.name);
    expect(await names([['name', 'ilike', 'deco'], ['is_company', '=', true]])).toEqual(['Deco Addict']);
    expect(await names(['|', ['country_id', 'in', [57, 75]], ['email', 'like', 'deco'], ['is_company', '=', true]])).toEqual(['Azure Interior', 'Deco Addict', 'Gemini Furniture']);
    expect(await names(['!', ['email', '=', false], ['is_company', '=', true], ['id', '>', 50]])).toEqual(['Deco Addict', 'Gemini Furniture']);
    expect(await names([['country_id.code', '=', 'DE']])).toEqual(['Gemini Furniture']);
    expect(await names([['country_id', 'not in', [57, 75]], ['is_company', '=', true], ['id', '>', 50]])).toEqual(['Deco Addict']);
    expect(await names([['email', '=?', false], ['id', '>', 50]])).toEqual(['Azure Interior', 'Deco Addict', 'Gemini Furniture']);
    expect(await names([['active', '=', false]])).toEqual(['Old Partner']);
    expect(await names([['id', '>', 50]], { limit: 2, offset: 1 })).toEqual(['Deco Addict', 'Gemini Furniture']);
    expect(await names([['id', '>', 50]], { order: 'name desc', limit: 1 })).toEqual(['Gemini Furniture']);
    expect(await ok(await json2(sb, 'res.partner', 'search_count', { domain: [['is_company', '=', true]] }))).toBe(4);
    const ids = await ok<number[]>(await json2(sb, 'res.partner', 'search', { domain: [['name', '=like', 'Gem%']] }));
    expect(ids).toHaveLength(1);
    expect(await ok(await json2(sb, 'res.partner', 'name_search', { name: 'azure', limit: 5 }))).toEqual([[expect.any(Number), 'Azure Interior']]);
    const bad = await json2(sb, 'res.partner', 'search_read', { domain: [['nope', '=', 1]] });
    expect(bad.status).toBe(500);
    expect(await bad.json()).toMatchObject({ name: 'builtins.ValueError', message: 'Invalid field res.partner.nope in leaf ["nope","=",1]' });
  });

  it('handles crm.lead: defaults, stage, customer details, won probability', async () => {
    const [partner] = await ok<number[]>(await json2(sb, 'res.partner', 'create', { vals_list: [{ name: 'Lead Buyer', email: 'buyer@x.test', phone: '+33 1 23' }] }));
    const [lead] = await ok<number[]>(await json2(sb, 'crm.lead', 'create', { vals_list: [{ name: 'Wants a van', partner_id: partner, expected_revenue: 12000 }] }));
    const [read] = await ok<Record<string, unknown>[]>(await json2(sb, 'crm.lead', 'read', { ids: [lead], fields: ['type', 'stage_id', 'user_id', 'email_from', 'phone', 'probability', 'active', 'partner_id'] }));
    expect(read).toEqual({ id: lead, type: 'lead', stage_id: [1, 'New'], user_id: [2, 'Ada Admin'], email_from: 'buyer@x.test', phone: '+33 1 23', probability: 10, active: true, partner_id: [partner, 'Lead Buyer'] });
    await ok(await json2(sb, 'crm.lead', 'write', { ids: [lead], vals: { type: 'opportunity', stage_id: 4 } }));
    const [won] = await ok<Record<string, unknown>[]>(await json2(sb, 'crm.lead', 'search_read', { domain: [['stage_id.is_won', '=', true]], fields: ['probability', 'type'] }));
    expect(won).toEqual({ id: lead, probability: 100, type: 'opportunity' });
    const [opp] = await ok<number[]>(await json2(sb, 'crm.lead', 'create', { vals_list: [{ name: 'Opp' }], context: { default_type: 'opportunity' } }));
    expect((await ok<{ type: string }[]>(await json2(sb, 'crm.lead', 'read', { ids: [opp], fields: ['type'] })))[0]!.type).toBe('opportunity');
  });

  it('answers validation errors as Odoo 19 does', async () => {
    const noName = await json2(sb, 'crm.lead', 'create', { vals_list: [{ email_from: 'x@y.z' }] });
    expect(noName.status).toBe(422);
    expect(await noName.json()).toMatchObject({
      name: 'odoo.exceptions.ValidationError',
      message: 'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Lead/Opportunity (crm.lead)\nField: Opportunity (name)',
      context: {},
    });
    const partner = await json2(sb, 'res.partner', 'create', { vals_list: [{ email: 'x@y.z' }] });
    expect(partner.status).toBe(422);
    expect(await partner.json()).toMatchObject({ name: 'odoo.exceptions.ValidationError', message: 'Contacts require a name', arguments: ['Contacts require a name'] });
    const unknownField = await json2(sb, 'res.partner', 'create', { vals_list: [{ name: 'X', shoe_size: 9 }] });
    expect(unknownField.status).toBe(500);
    expect(await unknownField.json()).toMatchObject({ name: 'builtins.ValueError', message: "Invalid field 'shoe_size' on model 'res.partner'" });
    const selection = await json2(sb, 'crm.lead', 'create', { vals_list: [{ name: 'X', type: 'deal' }] });
    expect(await selection.json()).toMatchObject({ name: 'builtins.ValueError', message: "Wrong value for crm.lead.type: 'deal'" });
    const kwarg = await json2(sb, 'res.partner', 'search_read', { domain: [], badparameter: 1 });
    expect(kwarg.status).toBe(422);
    expect(await kwarg.json()).toMatchObject({ name: 'werkzeug.exceptions.UnprocessableEntity', message: "res.partner.search_read() got an unexpected keyword argument 'badparameter'" });
  });

  it('answers 401 for a bad key and 404 for an unknown model or method', async () => {
    const bad = await json2(sb, 'res.partner', 'search', { domain: [] }, 'wrong-key');
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401], context: {} });
    expect(String(body.debug)).toContain('Traceback');
    const model = await json2(sb, 'res.widget', 'search', {});
    expect(model.status).toBe(404);
    expect(await model.json()).toMatchObject({ name: 'werkzeug.exceptions.NotFound', message: "The model 'res.widget' does not exist." });
    const method = await json2(sb, 'res.country', 'message_post', { ids: [233], body: 'x' });
    expect(method.status).toBe(404);
    const route = await fetch(`${sb.baseUrl('odoo')}/json/3/x`, { method: 'POST' });
    expect(route.status).toBe(404);
    expect(((await route.json()) as { name: string }).name).toBe('werkzeug.exceptions.NotFound');
  });

  it('posts chatter messages and schedules activities', async () => {
    const [lead] = await ok<number[]>(await json2(sb, 'crm.lead', 'create', { vals_list: [{ name: 'Chatty' }] }));
    const msgId = await ok<number>(await json2(sb, 'crm.lead', 'message_post', { ids: [lead], body: 'Customer asked <b>price</b>', message_type: 'comment', subtype_xmlid: 'mail.mt_note' }));
    expect(typeof msgId).toBe('number');
    const [msg] = await ok<Record<string, unknown>[]>(await json2(sb, 'mail.message', 'search_read', { domain: [['model', '=', 'crm.lead'], ['res_id', '=', lead]], fields: ['body', 'message_type', 'subtype_id', 'author_id', 'record_name'] }));
    expect(msg).toEqual({ id: msgId, body: 'Customer asked &lt;b&gt;price&lt;/b&gt;', message_type: 'comment', subtype_id: [2, 'Note'], author_id: [3, 'Sandbox Motors, Ada Admin'], record_name: 'Chatty' });

    const types = await ok<{ name: string }[]>(await json2(sb, 'mail.activity.type', 'search_read', { domain: [], fields: ['name'], order: 'name' }));
    expect(types.map((t) => t.name)).toEqual(['Call', 'Email', 'Meeting', 'To-Do']);
    const scheduled = await ok<number[]>(await json2(sb, 'crm.lead', 'activity_schedule', { ids: [lead], act_type_xmlid: 'mail.mail_activity_data_call', date_deadline: '2030-01-15', summary: 'Call back', user_id: 6 }));
    const [model] = await ok<number[]>(await json2(sb, 'ir.model', 'search', { domain: [['model', '=', 'res.partner']] }));
    const created = await ok<number[]>(await json2(sb, 'mail.activity', 'create', { vals_list: [{ res_model_id: model, res_id: 3, activity_type_id: 4, summary: 'Send quote', note: '<p>PDF</p>', date_deadline: '2020-01-01', user_id: 2 }] }));
    const acts = await ok<Record<string, unknown>[]>(await json2(sb, 'mail.activity', 'read', { ids: [...scheduled, ...created], fields: ['res_model', 'res_id', 'activity_type_id', 'summary', 'user_id', 'state', 'date_deadline'] }));
    expect(acts).toEqual([
      { id: scheduled[0], res_model: 'crm.lead', res_id: lead, activity_type_id: [2, 'Call'], summary: 'Call back', user_id: [6, 'Sam Seller'], state: 'planned', date_deadline: '2030-01-15' },
      { id: created[0], res_model: 'res.partner', res_id: 3, activity_type_id: [4, 'To-Do'], summary: 'Send quote', user_id: [2, 'Ada Admin'], state: 'overdue', date_deadline: '2020-01-01' },
    ]);
    const noDeadline = await json2(sb, 'mail.activity', 'create', { vals_list: [{ res_model: 'crm.lead', res_id: lead }] });
    expect(((await noDeadline.json()) as { message: string }).message).toContain('Field: Due Date (date_deadline)');
  });

  it('creates chatter messages in a vals_list: on the record they name, with Odoo defaults; a missing record refuses the whole list', async () => {
    const [note] = await ok<{ res_id: number }[]>(await json2(sb, 'ir.model.data', 'search_read', { domain: [['module', '=', 'mail'], ['name', '=', 'mt_note']], fields: ['res_id'] }));
    expect(note?.res_id).toBe(2);
    const [lead] = await ok<number[]>(await json2(sb, 'crm.lead', 'create', { vals_list: [{ name: 'Chatty' }] }));
    const ids = await ok<number[]>(
      await json2(sb, 'mail.message', 'create', {
        vals_list: [
          { model: 'res.partner', res_id: 7, body: '<p>Met <b>Sam</b></p>', subject: 'Visit', message_type: 'comment', subtype_id: note!.res_id },
          { model: 'crm.lead', res_id: lead, body: '<p>Quote sent</p>', subtype_id: note!.res_id, author_id: 8 },
        ],
      }),
    );
    expect(ids).toHaveLength(2);
    const fields = ['model', 'res_id', 'body', 'subject', 'message_type', 'subtype_id', 'author_id', 'record_name', 'date'];
    const onPartner = await ok<Record<string, unknown>[]>(await json2(sb, 'mail.message', 'search_read', { domain: [['model', '=', 'res.partner'], ['res_id', '=', 7]], fields }));
    expect(onPartner).toEqual([
      { id: ids[0], model: 'res.partner', res_id: 7, body: '<p>Met <b>Sam</b></p>', subject: 'Visit', message_type: 'comment', subtype_id: [2, 'Note'], author_id: [3, 'Sandbox Motors, Ada Admin'], record_name: 'Sandbox Motors, Sam Seller', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) },
    ]);
    const [onLead] = await ok<Record<string, unknown>[]>(await json2(sb, 'mail.message', 'read', { ids: [ids[1]], fields: ['message_type', 'author_id', 'record_name'] }));
    expect(onLead).toEqual({ id: ids[1], message_type: 'comment', author_id: [8, 'Sandbox Motors, Rita Rep'], record_name: 'Chatty' });

    const before = await ok<number>(await json2(sb, 'mail.message', 'search_count', { domain: [] }));
    const missing = await json2(sb, 'mail.message', 'create', { vals_list: [{ model: 'res.partner', res_id: 7, body: 'a' }, { model: 'res.partner', res_id: 99999, body: 'b' }] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ name: 'odoo.exceptions.MissingError' });
    const noModel = await json2(sb, 'mail.message', 'create', { vals_list: [{ model: 'res.widget', res_id: 1, body: 'c' }] });
    expect(noModel.status).toBe(500);
    expect(await ok<number>(await json2(sb, 'mail.message', 'search_count', { domain: [] }))).toBe(before);
  });

  it('describes fields with fields_get and attributes, and serves the seeded reference data', async () => {
    const fields = await ok<Record<string, Record<string, unknown>>>(await json2(sb, 'crm.lead', 'fields_get', { attributes: ['type', 'string', 'relation', 'selection', 'required'] }));
    expect(fields.stage_id).toEqual({ type: 'many2one', string: 'Stage', relation: 'crm.stage', required: false });
    expect(fields.type).toEqual({ type: 'selection', string: 'Type', selection: [['lead', 'Lead'], ['opportunity', 'Opportunity']], required: true });
    const users = await ok<Record<string, unknown>[]>(await json2(sb, 'res.users', 'search_read', { domain: [['login', '=', 'admin@sandbox.crm-sync.test']], fields: ['login', 'email', 'name', 'partner_id'] }));
    expect(users).toEqual([{ id: 2, login: 'admin@sandbox.crm-sync.test', email: 'admin@sandbox.crm-sync.test', name: 'Ada Admin', partner_id: [3, 'Sandbox Motors, Ada Admin'] }]);
    const stages = await ok<{ name: string }[]>(await json2(sb, 'crm.stage', 'search_read', { domain: [], fields: ['name'] }));
    expect(stages.map((s) => s.name)).toEqual(['New', 'Qualified', 'Proposition', 'Won']);
    expect(await ok(await json2(sb, 'res.country', 'search_read', { domain: [['code', '=', 'DE']], fields: ['name'] }))).toEqual([{ id: 57, name: 'Germany' }]);
  });

  it('ignores rateLimitFactor: Odoo has no rate limit of its own', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0.000001 }, 'odoo');
    for (let i = 0; i < 30; i++) expect((await json2(sb, 'res.country', 'search_count', { domain: [] })).status).toBe(200);
  });
});

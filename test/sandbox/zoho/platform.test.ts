import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { authorize, json, zoho } from './helpers.js';

describe('Zoho sandbox: metadata, limits and notifications', () => {
  let sb: RunningSandbox;
  let token: string;
  const call = (path: string, init?: { method?: string; body?: unknown }) => zoho(sb, token, path, init);

  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    sb.sandbox.reset('zoho');
    token = (await authorize(sb)).access_token;
  });

  it('lists modules, and fields with data types, picklists and custom fields', async () => {
    const modules = await json<{ modules: { api_name: string; generated_type: string; plural_label: string }[] }>(await call('/settings/modules'));
    expect(modules.modules.map((m) => m.api_name)).toEqual(['Leads', 'Contacts', 'Accounts', 'Deals', 'Notes', 'Tasks', 'Calls', 'Events', 'Chat_Sessions', 'Contracts']);
    expect(modules.modules.find((m) => m.api_name === 'Events')?.plural_label).toBe('Meetings');
    const withPhone: string[] = [];
    for (const m of modules.modules) {
      const f = await json<{ fields: { data_type: string }[] }>(await call(`/settings/fields?module=${m.api_name}`));
      if (f.fields.some((x) => x.data_type === 'phone')) withPhone.push(m.api_name);
    }
    expect(withPhone).toEqual(['Leads', 'Contacts', 'Accounts', 'Chat_Sessions']);
    const leads = await json<{ fields: Record<string, unknown>[] }>(await call('/settings/fields?module=Leads'));
    const source = leads.fields.find((f) => f.api_name === 'Lead_Source')!;
    expect(source).toMatchObject({ data_type: 'picklist', json_type: 'string', custom_field: false });
    expect((source.pick_list_values as { actual_value: string }[]).map((v) => v.actual_value)).toContain('Chat');
    expect(leads.fields.find((f) => f.api_name === 'Chat_Link')).toMatchObject({ data_type: 'website', custom_field: true });
    expect(leads.fields.find((f) => f.api_name === 'Last_Name')).toMatchObject({ data_type: 'text', system_mandatory: true });
    expect((await json(await call('/settings/fields?module=Nope'))).code).toBe('INVALID_MODULE');
  });

  it('describes one module by API name (any case) or id, refusing an unknown one; paths with a trailing slash answer alike', async () => {
    const leads = await json<{ modules: Record<string, unknown>[] }>(await call('/settings/modules/leads'));
    expect(leads.modules).toEqual([expect.objectContaining({ api_name: 'Leads', singular_label: 'Lead', plural_label: 'Leads', generated_type: 'default', api_supported: true, display_field: { api_name: 'Full_Name' } })]);
    const byId = await json<{ modules: { api_name: string }[] }>(await call(`/settings/modules/${String(leads.modules[0]!.id)}`));
    expect(byId.modules.map((m) => m.api_name)).toEqual(['Leads']);
    expect((await json<{ modules: { generated_type: string }[] }>(await call('/settings/modules/Chat_Sessions'))).modules[0]!.generated_type).toBe('custom');
    const unknown = await call('/settings/modules/Nope');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ code: 'INVALID_MODULE', details: { resource_path_index: 2 }, message: 'the module name given seems to be invalid', status: 'error' });
    expect((await json<{ modules: unknown[] }>(await call('/settings/modules/'))).modules.length).toBe(10);
    expect((await json<{ fields: unknown[] }>(await call('/settings/fields/?module=Leads'))).fields.length).toBeGreaterThan(0);
  });

  it('lists active users, finds one by email, and returns the org', async () => {
    const users = await json<{ users: { email: string; full_name: string; status: string }[]; info: Record<string, unknown> }>(await call('/users?type=ActiveUsers'));
    expect(users.users.map((u) => u.email)).toEqual(['admin@sandbox.crm-sync.test', 'sam.seller@sandbox.crm-sync.test', 'rita.rep@sandbox.crm-sync.test']);
    expect(users.info).toEqual({ per_page: 200, count: 3, page: 1, more_records: false });
    const found = await json<{ users: { id: string }[] }>(await call('/users/search', { method: 'POST', body: { criteria: { field: 'email', comparator: 'equal', value: 'Sam.Seller@sandbox.crm-sync.test' } } }));
    expect(found.users.map((u) => u.id)).toEqual(['6045000000100002']);
    const none = await call('/users/search', { method: 'POST', body: { criteria: { field: 'email', comparator: 'equal', value: 'x@y.z' } } });
    expect(none.status).toBe(204);
    const org = await json<{ org: Record<string, unknown>[] }>(await call('/org'));
    expect(org.org[0]).toMatchObject({ id: '60045000001', company_name: 'Sandbox Motors', primary_email: 'admin@sandbox.crm-sync.test' });
  });

  it('charges credits per call (1 per 10 records on writes) and answers 429 TOO_MANY_REQUESTS when they run out', async () => {
    sb.sandbox.configure({ rateLimitFactor: 30 / 53_000 }, 'zoho');
    const batch = Array.from({ length: 100 }, (_, i) => ({ Last_Name: `C${i}` }));
    expect((await call('/Leads', { method: 'POST', body: { data: batch } })).status).toBe(201); // 10 credits
    expect((await call('/Leads', { method: 'POST', body: { data: batch.map((b) => ({ ...b, Last_Name: `${b.Last_Name}x` })) } })).status).toBe(201); // 20
    for (let i = 0; i < 10; i++) expect((await call('/org')).status).toBe(200); // 30
    const res = await call('/org');
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ code: 'TOO_MANY_REQUESTS', details: {}, message: 'API credits exhausted for the day. Please try again after some time.', status: 'error' });
    sb.sandbox.configure({ rateLimitFactor: 0 }, 'zoho');
    expect((await call('/org')).status).toBe(200);
  });

  it('delivers notifications with the channel token in the body, for subscribed events only', async () => {
    const received: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }[] = [];
    const server: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoho`;
    try {
      const expiry = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
      const sub = await call('/actions/watch', { method: 'POST', body: { watch: [{ channel_id: '1000000068001', events: ['Leads.create', 'Leads.edit'], notify_url: url, token: 'my-secret-token', channel_expiry: expiry }] } });
      expect(sub.status).toBe(200);
      expect(await sub.json()).toEqual({
        watch: [
          {
            code: 'SUCCESS',
            details: { events: [{ channel_expiry: expiry, resource_uri: `${sb.baseUrl('zoho')}/crm/v8/Leads`, resource_id: '6045000000000002175', resource_name: 'Leads', channel_id: '1000000068001' }] },
            message: 'Successfully subscribed for actions-watch of the given module',
            status: 'success',
          },
        ],
      });
      const created = await json<{ data: { details: { id: string } }[] }>(await call('/Leads', { method: 'POST', body: { data: [{ Last_Name: 'Hooked' }, { Last_Name: 'Hooked2' }] } }));
      const ids = created.data.map((d) => d.details.id);
      await call('/Leads', { method: 'PUT', body: { data: [{ id: ids[0], Email: 'h@example.com' }] } });
      await call(`/Leads?ids=${ids[1]}`, { method: 'DELETE' });
      await call('/Contacts', { method: 'POST', body: { data: [{ Last_Name: 'Other' }] } });
      await sb.sandbox.crm('zoho').webhooks!.settle();
      expect(received.map((r) => r.body.operation)).toEqual(['insert', 'update']);
      const [insert, update] = received.map((r) => r.body);
      expect(insert).toEqual({ server_time: expect.any(Number), query_params: {}, module: 'Leads', resource_uri: `${sb.baseUrl('zoho')}/crm/v8/Leads`, ids, operation: 'insert', channel_id: 1000000068001, token: 'my-secret-token' });
      expect(update).toMatchObject({ ids: [ids[0]], affected_fields: [{ [ids[0]!]: ['Email'] }], token: 'my-secret-token' });
      expect(received[0]!.headers['content-type']).toBe('application/json');

      const listed = await json<{ watch: { channel_id: string; events: string[]; token: string }[] }>(await call('/actions/watch'));
      expect(listed.watch).toMatchObject([{ channel_id: '1000000068001', events: ['Leads.create', 'Leads.edit'], token: 'my-secret-token', notify_url: url }]);
      const patched = await call('/actions/watch', { method: 'PATCH', body: { watch: [{ channel_id: '1000000068001', events: ['Leads.edit'], _delete_events: true }] } });
      expect((await json<{ watch: { message: string }[] }>(patched)).watch[0]!.message).toBe('Successfully removed the subscribe details');
      const off = await call('/actions/watch?channel_ids=1000000068001', { method: 'DELETE' });
      expect((await json<{ watch: { message: string }[] }>(off)).watch[0]!.message).toBe('Successfully un-subscribed from actions-watch');
      expect((await call('/actions/watch')).status).toBe(204);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('validates watch requests in Zoho’s shapes', async () => {
    const res = await call('/actions/watch', { method: 'POST', body: { watch: [{ channel_id: '1', events: ['Widgets.create'], notify_url: 'http://127.0.0.1:1/x' }] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ watch: [{ code: 'INVALID_DATA', details: { api_name: 'events', json_path: '$.watch[0].events', expected_data_type: 'jsonarray' }, message: 'invalid data', status: 'error' }] });
    const missing = await call('/actions/watch', { method: 'POST', body: { watch: [{ channel_id: '1', events: ['Leads.all'] }] } });
    expect((await json<{ watch: unknown[] }>(missing)).watch[0]).toEqual({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'notify_url', json_path: '$.watch[0].notify_url' }, message: 'required field not found', status: 'error' });
  });
});

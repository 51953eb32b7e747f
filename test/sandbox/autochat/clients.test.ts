import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { ac } from './support.js';

describe('AutoChat sandbox: clients, activities, users and fields', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('autochat'));

  it('creates, reads, updates and deletes a client', async () => {
    const created = await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann Lee', email: 'Ann@Example.com', phone: '+14155550123', company: 'Acme', owner_id: 'usr_02', external_id: 'crm-1', fields: { plan: 'pro', lead_score: 80 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'cli_000001', object: 'client', name: 'Ann Lee', email: 'ann@example.com', phone: '+14155550123', company: 'Acme', owner_id: 'usr_02', external_id: 'crm-1', fields: { plan: 'pro', lead_score: 80 } });
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000001')).body.name).toBe('Ann Lee');
    const patched = await ac(sb, 'PATCH', '/api/v1/clients/cli_000001', { company: null, fields: { lead_score: null, vip: true } });
    expect(patched.body).toMatchObject({ company: null, fields: { plan: 'pro', vip: true } });
    expect(patched.body.fields).not.toHaveProperty('lead_score');
    expect((await ac(sb, 'DELETE', '/api/v1/clients/cli_000001')).status).toBe(204);
    const gone = await ac(sb, 'GET', '/api/v1/clients/cli_000001');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: 'not_found', message: 'No client with id cli_000001' } });
  });

  it('answers a path with a trailing slash as without', async () => {
    expect((await ac(sb, 'POST', '/api/v1/clients/', { name: 'Ann Lee' })).status).toBe(201);
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000001/')).body.name).toBe('Ann Lee');
    expect((await ac(sb, 'GET', '/api/v1/users/?limit=1')).status).toBe(200);
  });

  it('answers 422 naming every bad field, and 409 on a duplicate external_id', async () => {
    const bad = await ac(sb, 'POST', '/api/v1/clients', { email: 'not-an-email', phone: '0555 1234', fields: { plan: 'gold', shoe_size: 44 }, colour: 'red' });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      error: {
        code: 'validation_failed',
        message: 'The request body is not valid',
        details: [
          { field: 'colour', message: 'is not a known property' },
          { field: 'name', message: 'is required' },
          { field: 'email', message: 'must be a valid e-mail address' },
          { field: 'phone', message: 'must be a valid phone number in E.164 format, e.g. +14155550123' },
          { field: 'fields.plan', message: 'must be one of: free, pro, enterprise' },
          { field: 'fields.shoe_size', message: 'is not a defined custom field' },
        ],
      },
    });
    await ac(sb, 'POST', '/api/v1/clients', { name: 'A', external_id: 'ext-1' });
    const dup = await ac(sb, 'POST', '/api/v1/clients', { name: 'B', external_id: 'ext-1' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error: { code: 'duplicate_external_id', message: 'A client with external_id "ext-1" already exists', details: [{ field: 'external_id', message: 'already used by client cli_000001' }] } });
    const badJson = await fetch(`${sb.baseUrl('autochat')}/api/v1/clients`, { method: 'POST', headers: { authorization: 'Bearer ac_live_4f9d2c7a1b8e4d6f9a0c3e5b7d1f2a4c', 'content-type': 'application/json' }, body: '{"name":' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
  });

  it('upserts by external id: 201 then 200 on the same record', async () => {
    const first = await ac(sb, 'PUT', '/api/v1/clients/by-external-id/chat-77', { name: 'Chat user', phone: '+447911123456' });
    expect(first.status).toBe(201);
    const second = await ac(sb, 'PUT', '/api/v1/clients/by-external-id/chat-77', { email: 'chat@example.com' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, external_id: 'chat-77', name: 'Chat user', email: 'chat@example.com', phone: '+447911123456' });
    const mismatch = await ac(sb, 'PUT', '/api/v1/clients/by-external-id/chat-77', { external_id: 'other' });
    expect(mismatch.body.error.details).toEqual([{ field: 'external_id', message: 'must match the external id of the path' }]);
  });

  it('batch-upserts up to 100 clients with per-item results', async () => {
    await ac(sb, 'PUT', '/api/v1/clients/by-external-id/b-1', { name: 'Existing' });
    const res = await ac(sb, 'POST', '/api/v1/clients/batch', { clients: [{ external_id: 'b-1', company: 'Updated Co' }, { external_id: 'b-2', name: 'New' }, { external_id: 'b-3', name: 'Bad', email: 'nope' }, { name: 'No id' }] });
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { index: number; status: string }) => `${r.index}:${r.status}`)).toEqual(['0:updated', '1:created', '2:failed', '3:failed']);
    expect(res.body.data[2].error).toEqual({ code: 'validation_failed', message: 'The request body is not valid', details: [{ field: 'email', message: 'must be a valid e-mail address' }] });
    expect(res.body.data[3].error.details).toEqual([{ field: 'external_id', message: 'is required for a batch upsert (or an id to update)' }]);
    expect(res.body).toMatchObject({ created: 1, updated: 1, failed: 2 });
    const tooMany = await ac(sb, 'POST', '/api/v1/clients/batch', { clients: Array.from({ length: 101 }, (_, i) => ({ external_id: `x-${i}`, name: 'x' })) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details).toEqual([{ field: 'clients', message: 'must contain at most 100 items' }]);
  });

  it('updates clients by id in a batch, as PATCH would: only the given properties, fields merged; an unknown id fails alone', async () => {
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann', email: 'ann@example.com', company: 'Old Co', fields: { plan: 'pro' } });
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Bea', external_id: 'b-2' });
    const res = await ac(sb, 'POST', '/api/v1/clients/batch', {
      clients: [{ id: 'cli_000001', name: 'Ann Lee', fields: { vip: true } }, { id: 'cli_000404', name: 'Nobody' }, { id: 'cli_000002', external_id: 'b-9' }, { id: 'cli_000001', email: 'nope' }, { external_id: 'b-3', name: 'New' }],
    });
    expect(res.body.data.map((r: { index: number; status: string }) => `${r.index}:${r.status}`)).toEqual(['0:updated', '1:failed', '2:updated', '3:failed', '4:created']);
    expect(res.body.data[1].error).toEqual({ code: 'not_found', message: 'No client with id cli_000404' });
    expect(res.body.data[3].error.details).toEqual([{ field: 'email', message: 'must be a valid e-mail address' }]);
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000001')).body).toMatchObject({ name: 'Ann Lee', email: 'ann@example.com', company: 'Old Co', external_id: null, fields: { plan: 'pro', vip: true } });
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000002')).body.external_id).toBe('b-9');
  });

  it('pages with next_cursor to the end and searches by e-mail and phone', async () => {
    for (let i = 1; i <= 5; i++) await ac(sb, 'POST', '/api/v1/clients', { name: `C${i}`, email: `c${i}@example.com`, phone: `+1415555012${i}` });
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: { body: { data: { id: string }[]; next_cursor: string | null } } = await ac(sb, 'GET', `/api/v1/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((c) => c.id));
      cursor = res.body.next_cursor;
    }
    expect(seen).toEqual(['cli_000001', 'cli_000002', 'cli_000003', 'cli_000004', 'cli_000005']);
    expect((await ac(sb, 'GET', '/api/v1/clients?email=C3@EXAMPLE.com')).body.data.map((c: { id: string }) => c.id)).toEqual(['cli_000003']);
    expect((await ac(sb, 'GET', `/api/v1/clients?phone=${encodeURIComponent('+14155550124')}`)).body.data.map((c: { id: string }) => c.id)).toEqual(['cli_000004']);
    expect((await ac(sb, 'GET', '/api/v1/clients?limit=101')).body.error.details).toEqual([{ field: 'limit', message: 'must be an integer from 1 to 100' }]);
  });

  it('records activities on a client and lists them', async () => {
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
    const task = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'task', title: 'Call back', due_at: '2025-03-01T14:30:00+02:00', assignee_id: 'usr_03' });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({ id: 'act_000001', object: 'activity', client_id: 'cli_000001', type: 'task', title: 'Call back', due_at: '2025-03-01T12:30:00.000Z', assignee_id: 'usr_03', body: null });
    await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'message', title: 'WhatsApp', body: 'Hi!', occurred_at: '2025-03-01T10:00:00Z' });
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000001/activities?type=message')).body.data.map((a: { id: string }) => a.id)).toEqual(['act_000002']);
    const bad = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'fax', title: '', due_at: 'tomorrow', assignee_id: 'usr_99' });
    expect(bad.body.error.details).toEqual([
      { field: 'type', message: 'must be one of: note, task, call, meeting, message' },
      { field: 'title', message: 'must not be empty' },
      { field: 'due_at', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-03-01T14:30:00Z' },
      { field: 'assignee_id', message: 'no user with id usr_99' },
    ]);
    expect((await ac(sb, 'POST', '/api/v1/clients/cli_404/activities', { type: 'note', title: 'x' })).status).toBe(404);
  });

  it('edits an activity with PATCH: only the given properties, null clears, type and client stay; 404 and 422 as elsewhere', async () => {
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
    await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'message', title: 'Chat', body: 'Hi', occurred_at: '2025-03-01T10:00:00Z', assignee_id: 'usr_02' });
    const edited = await ac(sb, 'PATCH', '/api/v1/activities/act_000001', { title: 'Chat (grown)', body: 'Hi\nHello again', assignee_id: null });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: 'act_000001', type: 'message', client_id: 'cli_000001', title: 'Chat (grown)', body: 'Hi\nHello again', occurred_at: '2025-03-01T10:00:00.000Z', assignee_id: null });
    expect((await ac(sb, 'GET', '/api/v1/activities/act_000001')).body).toEqual(edited.body);
    expect((await ac(sb, 'PATCH', '/api/v1/activities/act_000001', { due_at: '2025-03-02T09:00:00+01:00' })).body).toMatchObject({ due_at: '2025-03-02T08:00:00.000Z', title: 'Chat (grown)' });

    const bad = await ac(sb, 'PATCH', '/api/v1/activities/act_000001', { type: 'note', title: '', occurred_at: 'today', assignee_id: 'usr_99', colour: 'red' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([
      { field: 'type', message: 'cannot be changed' },
      { field: 'colour', message: 'is not a known property' },
      { field: 'title', message: 'must not be empty' },
      { field: 'occurred_at', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-03-01T14:30:00Z' },
      { field: 'assignee_id', message: 'no user with id usr_99' },
    ]);
    expect((await ac(sb, 'GET', '/api/v1/activities/act_000001')).body.title).toBe('Chat (grown)');
    const missing = await ac(sb, 'PATCH', '/api/v1/activities/act_000404', { title: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'No activity with id act_000404' } });
  });

  it('lists users and custom field definitions, and adds a picklist field', async () => {
    expect((await ac(sb, 'GET', '/api/v1/users')).body.data.map((u: { email: string }) => u.email)).toContain('admin@sandbox.crm-sync.test');
    expect((await ac(sb, 'GET', '/api/v1/fields')).body.data.map((f: { key: string; type: string }) => `${f.key}:${f.type}`)).toEqual(['plan:picklist', 'lead_score:number', 'vip:boolean', 'source:text']);
    const added = await ac(sb, 'POST', '/api/v1/fields', { key: 'channel', label: 'Channel', type: 'picklist', options: ['whatsapp', 'telegram'] });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ key: 'channel', type: 'picklist', options: ['whatsapp', 'telegram'] });
    expect((await ac(sb, 'POST', '/api/v1/clients', { name: 'X', fields: { channel: 'telegram' } })).body.fields).toEqual({ channel: 'telegram' });
    expect((await ac(sb, 'POST', '/api/v1/fields', { key: 'channel', label: 'Again', type: 'text' })).status).toBe(409);
  });
});

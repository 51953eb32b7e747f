import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { ac, KEY_ID } from './support.js';

type Result = { index: number; status: string; activity?: { id: string }; error?: { code: string; details?: unknown[] } };

describe('AutoChat sandbox: batch lookup of clients and batch creation of activities', () => {
  let sb: RunningSandbox;
  let receiver: Server;
  let url: string;
  const events: { type: string; origin: { api_key_id: string }; data: { object: { id: string; idempotency_key: string | null } } }[] = [];
  beforeAll(async () => {
    sb = await startSandbox();
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        events.push(JSON.parse(raw));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/autochat`;
  });
  afterAll(async () => {
    await sb.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    sb.sandbox.reset('autochat');
    events.length = 0;
  });

  const settle = () => sb.sandbox.crm('autochat').webhooks!.settle();
  const activities = () => sb.sandbox.crm('autochat').dump().activities as { id: string; client_id: string; type: string; idempotency_key: string | null }[];

  describe('POST /clients/lookup', () => {
    it('answers each e-mail (any case) and phone with the oldest client holding it, or null', async () => {
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Old', email: 'ann@example.com', phone: '+14155550123' });
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Newer', email: 'ANN@example.com' });
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Phone only', phone: '+447911123456' });
      const res = await ac(sb, 'POST', '/api/v1/clients/lookup', { emails: ['Ann@Example.com', 'nobody@example.com'], phones: ['+447911123456', '+34600000000'] });
      expect(res.status).toBe(200);
      expect(res.body.emails.map((m: { email: string; client: { id: string } | null }) => [m.email, m.client?.id ?? null])).toEqual([
        ['ann@example.com', 'cli_000001'],
        ['nobody@example.com', null],
      ]);
      expect(res.body.phones.map((m: { phone: string; client: { id: string } | null }) => [m.phone, m.client?.id ?? null])).toEqual([
        ['+447911123456', 'cli_000003'],
        ['+34600000000', null],
      ]);
      expect(res.body.emails[0].client).toMatchObject({ object: 'client', name: 'Old', phone: '+14155550123' });
      expect((await ac(sb, 'POST', '/api/v1/clients/lookup', { phones: ['+14155550123'] })).body).toMatchObject({ emails: [], phones: [{ client: { id: 'cli_000001' } }] });
    });

    it('refuses bad terms by position, more than 500 of a kind, no term at all and unknown properties', async () => {
      const bad = await ac(sb, 'POST', '/api/v1/clients/lookup', { emails: ['ok@example.com', 7], phones: ['+14155550123', '0555 1234'], names: ['Ann'] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details).toEqual([
        { field: 'names', message: 'is not a known property' },
        { field: 'emails[1]', message: 'must be a string' },
        { field: 'phones[1]', message: 'must be in E.164 format, e.g. +14155550123' },
      ]);
      const tooMany = await ac(sb, 'POST', '/api/v1/clients/lookup', { emails: Array.from({ length: 501 }, (_, i) => `p${i}@example.com`) });
      expect(tooMany.body.error.details).toEqual([{ field: 'emails', message: 'must contain at most 500 items' }]);
      expect((await ac(sb, 'POST', '/api/v1/clients/lookup', { emails: [] })).body.error.details).toEqual([{ field: 'body', message: 'must hold at least one e-mail or phone' }]);
    });
  });

  describe('POST /activities/batch', () => {
    const note = (n: number, extra: Record<string, unknown> = {}) => ({ client_id: 'cli_000001', idempotency_key: `conv-${n}:note`, type: 'note', title: `Summary ${n}`, occurred_at: '2025-03-01T10:00:00Z', ...extra });

    it('creates each item with its key stored and returned, one activity.created each; a bad item fails alone', async () => {
      await ac(sb, 'POST', '/api/v1/webhooks', { url, events: ['activity.created'] });
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Bea' });
      const res = await ac(sb, 'POST', '/api/v1/activities/batch', {
        activities: [
          note(1),
          { client_id: 'cli_000002', idempotency_key: 'conv-1:task', type: 'task', title: 'Call back', due_at: '2025-03-02T09:00:00+01:00', assignee_id: 'usr_03' },
          note(2, { type: 'fax', assignee_id: 'usr_99' }),
          note(3, { client_id: 'cli_000404' }),
          note(4, { idempotency_key: undefined }),
          note(5, { idempotency_key: 'conv-1:note' }),
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 2, existing: 0, failed: 4 });
      const data = res.body.data as Result[];
      expect(data.map((r) => `${r.index}:${r.status}`)).toEqual(['0:created', '1:created', '2:failed', '3:failed', '4:failed', '5:failed']);
      expect(data[1]!.activity).toMatchObject({ object: 'activity', client_id: 'cli_000002', type: 'task', due_at: '2025-03-02T08:00:00.000Z', assignee_id: 'usr_03', idempotency_key: 'conv-1:task' });
      expect(data[2]!.error).toEqual({
        code: 'validation_failed',
        message: 'The request body is not valid',
        details: [
          { field: 'type', message: 'must be one of: note, task, call, meeting, message' },
          { field: 'assignee_id', message: 'no user with id usr_99' },
        ],
      });
      expect(data[3]!.error).toEqual({ code: 'not_found', message: 'No client with id cli_000404', details: [{ field: 'client_id', message: 'no client with id cli_000404' }] });
      expect(data[4]!.error!.details).toEqual([{ field: 'idempotency_key', message: 'is required: a string of 1 to 255 characters' }]);
      expect(data[5]!.error!.details).toEqual([{ field: 'idempotency_key', message: 'repeats the key of item 0' }]);
      expect(activities().map((a) => [a.client_id, a.type, a.idempotency_key])).toEqual([
        ['cli_000001', 'note', 'conv-1:note'],
        ['cli_000002', 'task', 'conv-1:task'],
      ]);
      expect((await ac(sb, 'GET', `/api/v1/activities/${data[0]!.activity!.id}`)).body.idempotency_key).toBe('conv-1:note');
      await settle();
      expect(events.map((e) => [e.type, e.origin.api_key_id, e.data.object.idempotency_key])).toEqual([
        ['activity.created', KEY_ID, 'conv-1:note'],
        ['activity.created', KEY_ID, 'conv-1:task'],
      ]);
    });

    it('a replayed batch creates nothing: known keys answer the activity they made, also when the content changed since', async () => {
      await ac(sb, 'POST', '/api/v1/webhooks', { url, events: ['activity.created'] });
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
      const first = (await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [note(1), note(2)] })).body;
      const again = await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [note(1), note(2, { title: 'Edited since' }), note(3)] });
      expect(again.body).toMatchObject({ created: 1, existing: 2, failed: 0 });
      expect((again.body.data as Result[]).map((r) => [r.status, r.activity!.id])).toEqual([
        ['existing', first.data[0].activity.id],
        ['existing', first.data[1].activity.id],
        ['created', 'act_000003'],
      ]);
      expect(again.body.data[1].activity.title).toBe('Summary 2');
      expect(activities()).toHaveLength(3);
      await settle();
      expect(events).toHaveLength(3);
    });

    it('shares keys with the Idempotency-Key of a single create, at any time', async () => {
      await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
      const single = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'note', title: 'Once' }, { 'idempotency-key': 'conv-1:note' });
      expect(single.body.idempotency_key).toBe('conv-1:note');
      const batch = await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [note(1)] });
      expect(batch.body.data[0]).toMatchObject({ status: 'existing', activity: { id: single.body.id } });
      await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [note(2)] });
      const later = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'note', title: 'Summary 2' }, { 'idempotency-key': 'conv-2:note' });
      expect(later.status).toBe(200);
      expect(later.body.id).toBe('act_000002');
      expect((await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'note', title: 'No key' })).body.idempotency_key).toBeNull();
      expect(activities()).toHaveLength(3);
    });

    it('refuses an empty list, more than 100 items and unknown properties as a whole', async () => {
      expect((await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [] })).body.error.details).toEqual([{ field: 'activities', message: 'must be a non-empty array' }]);
      const tooMany = await ac(sb, 'POST', '/api/v1/activities/batch', { activities: Array.from({ length: 101 }, (_, i) => note(i)) });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.error.details).toEqual([{ field: 'activities', message: 'must contain at most 100 items' }]);
      expect((await ac(sb, 'POST', '/api/v1/activities/batch', { activities: [note(1)], notes: true })).body.error.details).toEqual([{ field: 'notes', message: 'is not a known property' }]);
      expect(activities()).toHaveLength(0);
    });
  });
});

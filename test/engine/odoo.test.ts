import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = { id: number } & Record<string, unknown>;


/** Odoo 19 over JSON-2, and an Odoo before 19 (the sandbox's Odoo 17 mount, the same database) over /jsonrpc. */
const SERVERS = [
  { api: 'json2', path: '' },
  { api: 'jsonrpc', path: '/odoo17' },
] as const;

describe.each(TEST_DIALECTS.flatMap((dialect) => SERVERS.map((server) => ({ dialect, ...server }))))('outbound sync to Odoo over $api on $dialect', ({ dialect, api: protocol, path }) => {
  let s: TestServer;
  let connectionId: string;
  let odoo: Record<string, string>;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Reads Odoo as anyone would: JSON-2 search_read with the seeded API key. */
  const read = async (model: string, domain: unknown[], fields: string[]) => {
    const res = await fetch(`${s.sandboxUrl('odoo')}/json/2/${model}/search_read`, {
      method: 'POST',
      headers: { authorization: `bearer ${odoo.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain, fields, order: 'id asc' }),
    });
    return (await res.json()) as Row[];
  };
  const everything = async () =>
    JSON.stringify([
      await read('res.partner', [], ['name', 'ref', 'email', 'phone', 'comment', 'parent_id', 'write_date']),
      await read('mail.message', [], ['body', 'model', 'res_id']),
      await read('mail.activity', [], ['summary', 'note', 'res_id', 'write_date']),
    ]);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    odoo = (await s.account('odoo')).credentials as Record<string, string>;
    // The server URL alone: which API it speaks is found at connect.
    const c = await api('POST', '/v1/connections', {
      crm: 'odoo',
      auth: { method: 'api_key', apiKey: odoo.api_key, database: odoo.database, username: odoo.login, url: `${s.sandboxUrl('odoo')}${path}` },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect((c.body.target as { odoo?: { protocol: string } }).odoo?.protocol).toBe(protocol);
    connectionId = c.body.id as string;
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in Odoo as a contact within 2 seconds', async () => {
    await api('PUT', '/v1/clients/o-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    const { value: partner, ms } = await until('the partner', async () => (await read('res.partner', [['email', '=', 'ana@acme.io']], ['name', 'ref', 'phone', 'parent_id', 'is_company']))[0]);
    expect(ms).toBeLessThan(2_000);
    expect(partner).toMatchObject({ name: 'Ana Ruiz', ref: 'crm-sync:o-42', phone: '+34600111222', is_company: false, parent_id: [expect.any(Number), 'Acme'] });
    // The record can reach the CRM a moment before its pass writes the sync log.
    const { value: logs } = await until('the sync log', async () => {
      const items = (await api('GET', '/v1/sync-logs?clientId=o-42')).body.items as { operation: string; status: string }[];
      return items.length ? items : undefined;
    });
    // The sync log speaks of contacts and leads, whatever the CRM's object is called (res.partner here).
    expect(logs[0]).toMatchObject({ operation: 'create_contact', status: 'success' });
  });

  it('a conversation becomes a chatter note and a To-Do and a Call activity on the contact', async () => {
    await api('PUT', '/v1/conversations/ocv-1', {
      clientIds: ['o-42'],
      channel: 'call',
      title: 'Discovery call',
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:30:00Z',
      summary: 'Ana wants 50 seats.',
      keyNotes: ['Budget 50k'],
      commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z' }],
    });
    const [partner] = await read('res.partner', [['email', '=', 'ana@acme.io']], ['name']);
    const { value: acts } = await until('the activities', async () => {
      const rows = await read('mail.activity', [['res_model', '=', 'res.partner'], ['res_id', '=', partner!.id]], ['summary', 'activity_type_id', 'date_deadline']);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(acts.map((a) => [(a.activity_type_id as [number, string])[1], a.date_deadline]).sort()).toEqual([
      ['Call', '2026-11-20'],
      ['To-Do', '2026-11-22'],
    ]);
    expect(acts.find((a) => (a.activity_type_id as [number, string])[1] === 'To-Do')?.summary).toBe('Send the quote');
    const { value: notes } = await until('the note', async () => {
      const rows = await read('mail.message', [['model', '=', 'res.partner'], ['res_id', '=', partner!.id], ['body', 'ilike', 'crm-sync:']], ['body']);
      return rows.length ? rows : undefined;
    });
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.body)).toContain('Ana wants 50 seats.');
    const { value: logs } = await until('the logs', async () => {
      const items = (await api('GET', '/v1/sync-logs?clientId=o-42&status=success')).body.items as { operation: string }[];
      return items.length === 4 ? items : undefined;
    });
    expect(logs.map((l) => l.operation).sort()).toEqual(['add_activity', 'add_note', 'add_task', 'create_contact']);
  });

  it('the same requests again change nothing in Odoo', async () => {
    const before = await everything();
    await api('PUT', '/v1/clients/o-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    await api('PUT', '/v1/conversations/ocv-1', {
      clientIds: ['o-42'],
      channel: 'call',
      title: 'Discovery call',
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:30:00Z',
      summary: 'Ana wants 50 seats.',
      keyNotes: ['Budget 50k'],
      commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z' }],
    });
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(await everything()).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = { id: string } & Record<string, unknown>;


const conversation = {
  clientIds: ['c-42'],
  channel: 'call',
  title: 'Discovery call',
  startedAt: '2026-11-20T10:00:00Z',
  endedAt: '2026-11-20T10:30:00Z',
  summary: 'Ana wants 50 seats.',
  keyNotes: ['Budget 50k'],
  commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T15:00:00Z' }],
};

describe.each(TEST_DIALECTS)('outbound sync to AutoChat CRM on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const records = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=autochat`)).json()) as Record<string, Record<string, Row[]>>).autochat!;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const key = (await s.account('autochat')).credentials.apiKey!;
    const base = s.sandboxUrl('autochat');
    const c = await api('POST', '/v1/connections', { crm: 'autochat', auth: { method: 'api_key', apiKey: key }, instanceUrl: base, baseUrl: base });
    expect(c.status).toBe(201);
    connectionId = c.body.id as string;
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in AutoChat CRM within 2 seconds, keyed by its client id', async () => {
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    const { value: client, ms } = await until('the client', async () => (await records()).clients?.find((c) => c.email === 'ana@acme.io'));
    expect(ms).toBeLessThan(2_000);
    expect(client).toMatchObject({ name: 'Ana Ruiz', phone: '+34600111222', company: 'Acme', external_id: 'c-42' });
    // The log is written once the batch's answer is read, a moment after the record exists.
    const { value: log } = await until('the log', async () => ((await api('GET', '/v1/sync-logs?clientId=c-42')).body.items as { operation: string; status: string }[])[0]);
    expect(log).toMatchObject({ operation: 'create_contact', status: 'success' });
  });

  it('a conversation with a summary, a commitment and a call becomes a note, a task and a call on the client', async () => {
    await api('PUT', '/v1/conversations/cv-1', conversation);
    const { value: acts } = await until('note, task and call', async () => {
      const a = (await records()).activities ?? [];
      return a.length >= 3 ? a : undefined;
    });
    const client = (await records()).clients!.find((c) => c.external_id === 'c-42')!;
    expect(acts.map((a) => [a.client_id, a.type, a.title]).sort()).toEqual([
      [client.id, 'call', 'Discovery call'],
      [client.id, 'note', 'Call: Discovery call'],
      [client.id, 'task', 'Send the quote'],
    ]);
    expect(String(acts.find((a) => a.type === 'note')!.body)).toContain('Ana wants 50 seats.');
    expect(acts.find((a) => a.type === 'task')).toMatchObject({ due_at: '2026-11-22T15:00:00.000Z' });
    const { value: ops } = await until('the logs', async () => {
      const items = (await api('GET', '/v1/sync-logs?clientId=c-42&status=success')).body.items as { operation: string }[];
      return items.length >= 4 ? items.map((l) => l.operation).sort() : undefined;
    });
    expect(ops).toEqual(['add_activity', 'add_note', 'add_task', 'create_contact']);
  });

  it('the same requests again change nothing in AutoChat CRM', async () => {
    const before = JSON.stringify(await records());
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    await api('PUT', '/v1/conversations/cv-1', conversation);
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(JSON.stringify(await records())).toBe(before);
  });

  it("a conversation's messages that grow the same day leave one chat activity in AutoChat CRM, edited to the new body", async () => {
    expect((await api('PATCH', `/v1/connections/${connectionId}`, { settings: { objects: { transcripts: true } } })).status).toBe(200);
    const message = (id: string, sentAt: string, text: string) => ({ id, direction: 'inbound', text, sentAt });
    await api('PUT', '/v1/conversations/wa-1', { clientIds: ['c-42'], channel: 'whatsapp', messages: [message('m1', '2026-11-20T09:00:00Z', 'Hola')] });
    const chats = async () => ((await records()).activities ?? []).filter((a) => a.type === 'message' && String(a.title).startsWith('WhatsApp chat with'));
    const { value: first } = await until('the day\'s chat activity', async () => ((await chats()).length ? await chats() : undefined));
    expect(first).toHaveLength(1);
    expect(String(first[0]!.body)).toContain('Hola');

    await api('POST', '/v1/conversations/wa-1/messages', message('m2', '2026-11-20T18:00:00Z', 'Thanks, later today'));
    // As in the other chat-note suites: new messages wait for the update interval unless synced now.
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    const { value: grown } = await until('the grown chat activity', async () => {
      const now = await chats();
      return now.some((a) => String(a.body).includes('Thanks, later today')) ? now : undefined;
    });
    expect(grown).toHaveLength(1);
    expect(grown[0]).toMatchObject({ id: first[0]!.id, title: 'WhatsApp chat with Ana Ruiz (20/11/2026)' });
    expect(String(grown[0]!.body)).toMatch(/Hola[\s\S]*Thanks, later today/);
    const { value: log } = await until('the log of the edit', async () =>
      ((await api('GET', '/v1/sync-logs?clientId=c-42&status=success')).body.items as { message: string | null; crmRecordId: string }[]).find((l) => l.message === 'updated with the day’s new messages'),
    );
    expect(log.crmRecordId).toBe(first[0]!.id);
  });
});

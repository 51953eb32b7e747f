import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = { id: string } & Record<string, unknown>;
type Person = Row & { name: string; emails: { value: string }[]; org_id: number | null };


describe.each(TEST_DIALECTS)('outbound sync to Pipedrive on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const records = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=pipedrive`)).json()) as Record<string, Record<string, Row[]>>).pipedrive!;
  const personOf = async (email: string) => ((await records()).persons as Person[] | undefined)?.find((p) => p.emails.some((e) => e.value === email));

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('pipedrive')).credentials.apiToken!;
    const c = await api('POST', '/v1/connections', { crm: 'pipedrive', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('pipedrive') });
    expect(c.status).toBe(201);
    connectionId = c.body.id as string;
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in Pipedrive within 2 seconds, with its organization', async () => {
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    const { value: person, ms } = await until('the person', () => personOf('ana@acme.io'));
    expect(ms).toBeLessThan(2_000);
    const org = (await records()).organizations!.find((o) => o.name === 'Acme')!;
    expect(person).toMatchObject({ name: 'Ana Ruiz', org_id: Number(org.id), phones: [{ value: '+34600111222', primary: true }] });
    // The log is written once the batch's answer is read, a moment after the record exists.
    const { value: log } = await until('the log', async () => ((await api('GET', '/v1/sync-logs?clientId=c-42')).body.items as { operation: string; status: string }[])[0]);
    expect(log).toMatchObject({ operation: 'create_contact', status: 'success' });
  });

  it('a conversation with a summary, a commitment and a call becomes a note and two activities on the person and its open deal', async () => {
    const person = (await personOf('ana@acme.io'))!;
    const deal = await fetch(`${s.sandboxUrl('pipedrive')}/api/v1/deals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-token': (await s.account('pipedrive')).credentials.apiToken! },
      body: JSON.stringify({ title: 'Acme seats', person_id: Number(person.id) }),
    });
    const dealId = ((await deal.json()) as { data: { id: number } }).data.id;
    await api('PUT', '/v1/conversations/cv-1', {
      clientIds: ['c-42'],
      channel: 'call',
      title: 'Discovery call',
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:30:00Z',
      summary: 'Ana wants 50 seats.',
      keyNotes: ['Budget 50k'],
      commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T15:00:00Z' }],
    });
    const { value: r } = await until('note, task and call', async () => {
      const r = await records();
      return r.notes?.length && (r.activities?.length ?? 0) >= 2 ? r : undefined;
    });
    expect(r.notes).toHaveLength(1);
    expect(r.notes![0]).toMatchObject({ person_id: Number(person.id), deal_id: dealId });
    expect(String(r.notes![0]!.content)).toContain('Ana wants 50 seats.');
    expect(r.activities!.map((a) => [a.type, a.subject, a.due_date, a.done, a.deal_id]).sort()).toEqual([
      ['call', 'Discovery call', '2026-11-20', true, dealId],
      ['task', 'Send the quote', '2026-11-22', false, dealId],
    ]);
    expect(r.activities!.find((a) => a.type === 'call')).toMatchObject({ duration: '00:30', person_id: Number(person.id) });
    const { value: ops } = await until('the logs', async () => {
      const items = (await api('GET', '/v1/sync-logs?clientId=c-42&status=success')).body.items as { operation: string }[];
      return items.length >= 4 ? items.map((l) => l.operation).sort() : undefined;
    });
    expect(ops).toEqual(['add_activity', 'add_note', 'add_task', 'create_contact']);
  });

  it('the same requests again change nothing in Pipedrive', async () => {
    const before = JSON.stringify(await records());
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    await api('PUT', '/v1/conversations/cv-1', {
      clientIds: ['c-42'],
      channel: 'call',
      title: 'Discovery call',
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:30:00Z',
      summary: 'Ana wants 50 seats.',
      keyNotes: ['Budget 50k'],
      commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T15:00:00Z' }],
    });
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(JSON.stringify(await records())).toBe(before);
  });
});

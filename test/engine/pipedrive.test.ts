import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { SyncWorker } from '../../src/engine/worker.js';
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

describe.each(TEST_DIALECTS)('a Pipedrive create that timed out after commit, retried by another worker, on %s', (dialect) => {
  it('leaves exactly one person: the retrying worker reads the note from the database, not its memory', async () => {
    // The client gives up after 800 ms; the sandbox's slow writes commit, then answer after 1.5 s.
    const http = createCrmHttp({ timeoutMs: 800 });
    const s = await startTestServer(dialect, { http });
    try {
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const persons = async () =>
        (((await (await fetch(`${s.origin}/sandbox/__control/records?crm=pipedrive`)).json()) as Record<string, Record<string, Person[]>>).pipedrive!.persons ?? []) as Person[];
      const notes = () => s.t.store.db.selectFrom('crm_create_notes').selectAll().execute();
      const token = (await s.account('pipedrive')).credentials.apiToken!;
      const c = await api('POST', '/v1/connections', { crm: 'pipedrive', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('pipedrive') });
      expect(c.status).toBe(201);
      const connectionId = c.body.id as string;
      const worker = () => new SyncWorker({ store: s.t.store, tokens: s.app.connections.tokens, http });

      // A first client, so the "crm-sync client id" field exists before the faults begin.
      await api('PUT', '/v1/clients/c-1', { firstName: 'Warm', lastName: 'Up', emails: ['warm@up.test'] });
      await worker().runOnce();
      expect(await persons()).toHaveLength(1);

      // Every write now commits and answers too late; search will not show new persons for a minute.
      s.sandbox.configure({ timeoutRate: 1, timeoutDelayMs: 1_500, searchLagMs: 60_000 }, 'pipedrive');
      await api('PUT', '/v1/clients/c-2', { firstName: 'Eva', lastName: 'Lost', emails: ['eva@lost.test'] });
      await worker().runOnce();
      await new Promise((r) => setTimeout(r, 1_000)); // the sandbox's late answer goes out
      expect((await persons()).filter((p) => p.emails.some((e) => e.value === 'eva@lost.test'))).toHaveLength(1);
      expect((await notes()).map((n) => n.key)).toEqual(['pipedrive:persons:c-2']);

      // That worker is gone with its memory; another one, on the same store, retries.
      s.sandbox.configure({ timeoutRate: 0 }, 'pipedrive');
      expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
      await worker().runOnce();
      const eva = (await persons()).filter((p) => p.emails.some((e) => e.value === 'eva@lost.test'));
      expect(eva).toHaveLength(1);
      expect(eva[0]!.name).toBe('Eva Lost');
      expect(await notes()).toEqual([]);
      const logs = (await api('GET', '/v1/sync-logs?clientId=c-2&status=success')).body.items as { crmRecordId: string }[];
      expect(logs.map((l) => l.crmRecordId)).toContain(String(eva[0]!.id));
    } finally {
      await s.close();
    }
  }, 60_000);
});

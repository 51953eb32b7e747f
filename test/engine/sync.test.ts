import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmId } from '../../src/domain/crm.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

/** The sandbox's dump: each record's properties are flat on it. */
type Row = { id: string } & Record<string, string | null | undefined>;
type Records = Record<string, Record<string, Row[]>>;

async function records(s: TestServer, crm: CrmId) {
  return ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=${crm}`)).json()) as Records)[crm]!;
}


describe.each(TEST_DIALECTS)('outbound sync to HubSpot on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const c = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    connectionId = c.body.id as string;
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in HubSpot within 2 seconds', async () => {
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    const { value: contact, ms } = await until('the contact', async () => (await records(s, 'hubspot')).contacts?.find((c) => c.email === 'ana@acme.io'));
    expect(ms).toBeLessThan(2_000);
    expect(contact).toMatchObject({ firstname: 'Ana', lastname: 'Ruiz', company: 'Acme', crm_sync_client_id: 'c-42' });
    // The pass writes its sync logs once its batch is done, a moment after the record.
    const { value: log } = await until('the sync log', async () => ((await api('GET', `/v1/sync-logs?clientId=c-42`)).body.items as { operation: string; status: string }[])[0]);
    expect(log).toMatchObject({ operation: 'create_contact', status: 'success' });
  });

  it('a conversation becomes a note, a task and a call, associated to the contact', async () => {
    await api('PUT', '/v1/conversations/cv-1', {
      clientIds: ['c-42'],
      channel: 'call',
      title: 'Discovery call',
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:30:00Z',
      summary: 'Ana wants 50 seats.',
      keyNotes: ['Budget 50k'],
      commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z' }],
    });
    await until('note, task and call', async () => {
      const r = await records(s, 'hubspot');
      return r.notes?.length && r.tasks?.length && r.calls?.length ? r : undefined;
    });
    const r = await records(s, 'hubspot');
    expect(r.notes).toHaveLength(1);
    expect(String(r.notes![0]!.hs_note_body)).toContain('Ana wants 50 seats.');
    expect(r.tasks![0]!.hs_task_subject).toBe('Send the quote');
    expect(r.calls).toHaveLength(1);
    // The pass writes its sync logs once its batch is done, a moment after the records.
    const { value: logs } = await until('the sync logs', async () => {
      const items = (await api('GET', `/v1/sync-logs?clientId=c-42&status=success`)).body.items as { operation: string }[];
      return items.length >= 4 ? items : undefined;
    });
    expect(logs.map((l) => l.operation).sort()).toEqual(['add_activity', 'add_note', 'add_task', 'create_contact']);
  });

  it('the same requests again change nothing in HubSpot', async () => {
    const before = JSON.stringify(await records(s, 'hubspot'));
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' });
    await api('POST', `/v1/connections/${connectionId}/sync`);
    await new Promise((r) => setTimeout(r, 500));
    expect(JSON.stringify(await records(s, 'hubspot'))).toBe(before);
  });

  it('an update is merged on the interval or by Sync Now, never blanking a field', async () => {
    await api('PUT', '/v1/clients/c-42', { firstName: 'Ana', lastName: 'Ruiz García', emails: ['ana@acme.io'] });
    await new Promise((r) => setTimeout(r, 400));
    const waiting = (await records(s, 'hubspot')).contacts!.find((c) => c.email === 'ana@acme.io')!;
    expect(waiting.lastname).toBe('Ruiz');
    const now = await api('POST', `/v1/connections/${connectionId}/sync`);
    expect(now.status).toBe(202);
    const { value } = await until('the update', async () => (await records(s, 'hubspot')).contacts!.find((c) => c.lastname === 'Ruiz García'));
    // The platform no longer sends company or phone: HubSpot keeps them.
    expect(value).toMatchObject({ company: 'Acme', lastname: 'Ruiz García' });
    expect(value.phone).toBeTruthy();
  });

  it('skips a client outside the chosen segments, with the reason, and syncs it once it joins', async () => {
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { segments: ['enterprise'] } });
    await api('PUT', '/v1/clients/c-7', { firstName: 'Bo', emails: ['bo@small.io'], segments: ['smb'] });
    const { value: skipped } = await until('the skip', async () => ((await api('GET', '/v1/sync-logs?clientId=c-7')).body.items as { status: string; message: string }[])[0]);
    expect(skipped).toMatchObject({ status: 'skipped', message: 'not in the chosen segments (enterprise)' });
    await api('PUT', '/v1/clients/c-7', { firstName: 'Bo', emails: ['bo@small.io'], segments: ['enterprise'] });
    await api('POST', `/v1/connections/${connectionId}/sync`);
    await until('bo in HubSpot', async () => (await records(s, 'hubspot')).contacts!.find((c) => c.email === 'bo@small.io'));
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { segments: [] } });
  });

  it('"qualified only" skips an unqualified client and syncs it once a conversation qualifies it', async () => {
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { syncQualifiedOnly: true } });
    await api('PUT', '/v1/clients/q-1', { firstName: 'Quinn', emails: ['quinn@lead.io'] });
    const { value: skipped } = await until('the skip', async () => ((await api('GET', '/v1/sync-logs?clientId=q-1')).body.items as { status: string; message: string }[])[0]);
    expect(skipped).toMatchObject({ status: 'skipped', message: 'not qualified: the connection syncs qualified clients only' });
    await api('PUT', '/v1/conversations/q-cv', { clientIds: ['q-1'], channel: 'whatsapp', summary: 'Ready to buy', qualification: { status: 'qualified', provisional: true } });
    await until('quinn in HubSpot', async () => (await records(s, 'hubspot')).contacts!.find((c) => c.email === 'quinn@lead.io'));
    await until('the note on quinn', async () => (await records(s, 'hubspot')).notes!.find((n) => String(n.hs_note_body).includes('Ready to buy')));
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { syncQualifiedOnly: false } });
  });

  it('a value that does not fit its picklist fails only that client, naming field and value', async () => {
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { fieldMappings: [{ source: 'stage', target: 'lifecyclestage', type: 'picklist' }] } });
    await api('POST', '/v1/batch', {
      clients: [
        { id: 'p-1', firstName: 'Good', emails: ['good@x.io'], properties: { stage: 'lead' } },
        { id: 'p-2', firstName: 'Bad', emails: ['bad@x.io'], properties: { stage: 'lukewarm' } },
      ],
    });
    const { value: failed } = await until('the failure', async () => ((await api('GET', '/v1/sync-logs?clientId=p-2&status=failed')).body.items as { message: string; action: string }[])[0]);
    expect(failed.message).toMatch(/stage = "lukewarm" does not fit lifecyclestage: not one of the allowed values/);
    expect(failed.action).toMatch(/Fix the value or the field mapping/);
    await until('the good one', async () => (await records(s, 'hubspot')).contacts!.find((c) => c.email === 'good@x.io' && c.lifecyclestage === 'lead'));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

type Row = { Id: string } & Record<string, unknown>;

describe.each(TEST_DIALECTS)('outbound sync to Salesforce on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const dump = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=salesforce`)).json()) as Record<string, Record<string, Row[]>>).salesforce!;
  const sfWrites = async () => {
    const stats = (await (await fetch(`${s.origin}/sandbox/__control/stats`)).json()) as Record<string, { byStatus: Record<string, number> }>;
    return Object.values(stats.salesforce!.byStatus).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const sf = await s.account('salesforce');
    const c = await api('POST', '/v1/connections', {
      crm: 'salesforce',
      auth: { method: 'service', clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, instanceUrl: s.sandboxUrl('salesforce') },
      baseUrl: s.sandboxUrl('salesforce'),
    });
    connectionId = c.body.id as string;
  }, 60_000);
  afterAll(() => s.close());

  it('a new client becomes a Lead with LastName and Company filled even when unknown', async () => {
    await api('PUT', '/v1/clients/w-1', { phones: ['+34 600 999 000'] });
    await s.app.syncWorker.runOnce();
    const lead = (await dump()).Lead!.find((l) => l.CrmSync_Id__c === 'w-1')!;
    expect(lead).toMatchObject({ LastName: 'New WhatsApp contact: +34600999000', Company: '[not provided]', Phone: '+34600999000', LeadSource: 'crm-sync' });
  });

  it('coalesces ten updates of one client between two syncs into one write', async () => {
    for (let i = 1; i <= 10; i++) await api('PUT', '/v1/clients/w-1', { firstName: `Name ${i}`, lastName: 'Ortega', phones: ['+34 600 999 000'] });
    const before = await sfWrites();
    await api('POST', `/v1/connections/${connectionId}/sync`);
    await s.app.syncWorker.runOnce();
    const lead = (await dump()).Lead!.find((l) => l.CrmSync_Id__c === 'w-1')!;
    expect(lead).toMatchObject({ FirstName: 'Name 10', LastName: 'Ortega' });
    // One pass: a match query and one collections update, whatever the ten versions were.
    expect((await sfWrites()) - before).toBeLessThanOrEqual(3);
    const updates = ((await api('GET', '/v1/sync-logs?clientId=w-1&status=success')).body.items as { operation: string }[]).filter((l) => l.operation.startsWith('update'));
    expect(updates).toHaveLength(1);
  });

  it('notes and commitments become Tasks on the Lead; a meeting becomes an Event', async () => {
    await api('PUT', '/v1/conversations/m-1', {
      clientIds: ['w-1'],
      channel: 'meeting',
      title: 'Demo',
      startedAt: '2026-11-20T15:00:00Z',
      endedAt: '2026-11-20T16:00:00Z',
      summary: 'Showed the product.',
      commitments: [{ text: 'Call back Monday', dueAt: '2026-11-23T09:00:00Z' }],
    });
    await s.app.syncWorker.runOnce();
    const d = await dump();
    const lead = d.Lead!.find((l) => l.CrmSync_Id__c === 'w-1')!;
    const tasks = d.Task!.filter((t) => t.WhoId === lead.Id);
    expect(tasks.map((t) => t.Subject).sort()).toEqual(['Call back Monday', 'Meeting: Demo']);
    expect(tasks.find((t) => t.Subject === 'Call back Monday')).toMatchObject({ ActivityDate: '2026-11-23', Status: 'Not Started' });
    expect(d.Event!.filter((e) => e.WhoId === lead.Id)).toHaveLength(1);
  });
});

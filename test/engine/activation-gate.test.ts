import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

type Row = { id: string } & Record<string, unknown>;
type Log = { operation: string; status: string; message: string | null; action: string | null };

// Zoho's destination flow ends with "Activate integration" (the TimelinesAI seed): nothing is
// written to the CRM before the admin has proved the settings with a test record.
describe.each(TEST_DIALECTS)('nothing syncs to Zoho before activation (%s)', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const leads = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=zoho`)).json()) as Record<string, Record<string, Row[]>>).zoho!.Leads ?? [];
  const logs = async () => (await s.api('GET', `/v1/sync-logs?connectionId=${connectionId}`)).body.items as Log[];
  const progress = async () => (await s.api('GET', `/v1/connections/${connectionId}/progress`)).body as { pending: number; paused: { reason: string } | null };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    connectionId = (await approveOAuth(s, 'zoho', { baseUrl: s.sandboxUrl('zoho') })).searchParams.get('connection')!;
    // "Chat" is in the sandbox's Lead Source picklist, so activation can succeed.
    expect((await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { destination: { leadSourceValue: 'Chat' } } })).status).toBe(200);
  }, 60_000);
  afterAll(() => s.close());

  it('keeps records pending with one "waiting for activation" entry, then syncs them after Activate', async () => {
    expect((await s.api('PUT', '/v1/clients/g-1', { firstName: 'Gala', lastName: 'Pons', phones: ['+34 611 000 111'] })).status).toBe(201);
    expect((await s.api('PUT', '/v1/clients/g-2', { firstName: 'Iker', lastName: 'Sanz', phones: ['+34 611 000 222'] })).status).toBe(201);
    for (let i = 0; i < 3; i++) await s.app.syncWorker.runOnce();

    expect((await leads()).filter((l) => l.Last_Name === 'Pons' || l.Last_Name === 'Sanz')).toEqual([]);
    const waiting = (await logs()).filter((l) => l.operation === 'wait_activation');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ status: 'pending' });
    expect(waiting[0]!.message).toMatch(/waiting for activation/i);
    const before = await progress();
    expect(before.pending).toBe(2);
    expect(before.paused?.reason).toMatch(/waiting for activation/i);

    expect((await s.api('POST', `/v1/connections/${connectionId}/activate`)).status).toBe(200);
    await s.syncAll();
    expect((await leads()).filter((l) => l.Last_Name === 'Pons' || l.Last_Name === 'Sanz').map((l) => l.Last_Name).sort()).toEqual(['Pons', 'Sanz']);
    const after = await progress();
    expect(after.pending).toBe(0);
    expect(after.paused).toBeNull();
    expect((await logs()).filter((l) => l.operation === 'wait_activation')).toHaveLength(1);
  });
});

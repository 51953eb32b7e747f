import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = { id: string } & Record<string, unknown>;
type Log = { operation: string; status: string; crmRecordId: string | null; message: string | null };

/** The CRM client gives up after this; the sandbox's slow writes answer after TIMEOUT_DELAY_MS, having committed. */
const CLIENT_TIMEOUT_MS = 800;
const TIMEOUT_DELAY_MS = 1_500;

// Zoho checks an upsert's duplicates only on Email (and fields an org marks unique): it refuses
// Phone in duplicate_check_fields. Clients known by phone alone must still be written once.
describe.each(TEST_DIALECTS)('Zoho CRM duplicate checks through the sync on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  let timeouts = 0;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const leads = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=zoho`)).json()) as { zoho: Record<string, Row[]> }).zoho.Leads ?? [];
  const leadsWith = async (phone: string) => (await leads()).filter((l) => l.Phone === phone);
  const logsOf = async (clientId: string) => (await api('GET', `/v1/sync-logs?clientId=${clientId}`)).body.items as Log[];
  const present = <T>(list: T[]) => (list.length ? list : undefined);

  beforeAll(async () => {
    const base = createCrmHttp({ timeoutMs: CLIENT_TIMEOUT_MS });
    const http: CrmHttp = (req) =>
      base(req).catch((err: unknown) => {
        if (err instanceof Error && /did not answer within/.test(err.message)) timeouts++;
        throw err;
      });
    s = await startTestServer(dialect, { http });
    connectionId = (await approveOAuth(s, 'zoho', { baseUrl: s.sandboxUrl('zoho') })).searchParams.get('connection')!;
    // "Chat" is in the sandbox's Lead Source picklist; the default "crm-sync" is not.
    expect((await api('PATCH', `/v1/connections/${connectionId}`, { settings: { destination: { leadSourceValue: 'Chat' } } })).status).toBe(200);
    // Zoho syncs nothing before "Activate integration".
    expect((await api('POST', `/v1/connections/${connectionId}/activate`)).status).toBe(200);
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('creates a client known by phone alone and one with an e-mail, once each; a later change updates them', async () => {
    await api('PUT', '/v1/clients/zd-1', { phones: ['+34 600 200 001'] });
    await api('PUT', '/v1/clients/zd-2', { firstName: 'Eli', emails: ['eli@example.test'], phones: ['+34 600 200 002'] });
    const { value: created } = await until('both leads', async () => ((await logsOf('zd-1')).length && (await logsOf('zd-2')).length ? true : undefined));
    expect(created).toBe(true);
    expect([await logsOf('zd-1'), await logsOf('zd-2')].map((l) => [l[0]!.operation, l[0]!.status, l[0]!.message])).toEqual([
      ['create_lead', 'success', null],
      ['create_lead', 'success', null],
    ]);

    await api('PUT', '/v1/clients/zd-1', { firstName: 'Ona', lastName: 'Pla', phones: ['+34 600 200 001'] });
    await api('PUT', '/v1/clients/zd-2', { firstName: 'Eli', lastName: 'Mas', emails: ['eli@example.test'], phones: ['+34 600 200 002'] });
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    // An update also leaves a pending entry while it waits for its interval; count the writes.
    const successes = async (id: string) => (await logsOf(id)).filter((l) => l.status === 'success').length;
    await until('both updated', async () => ((await successes('zd-1')) === 2 && (await successes('zd-2')) === 2 ? true : undefined));
    expect((await leadsWith('+34600200001')).map((l) => l.Last_Name)).toEqual(['Pla']);
    expect((await leadsWith('+34600200002')).map((l) => [l.Last_Name, l.Email])).toEqual([['Mas', 'eli@example.test']]);
  });

  it('a phone-only client whose create timed out after Zoho saved it is updated by the retry, under search lag: one lead', async () => {
    s.sandbox.configure({ timeoutRate: 1, timeoutDelayMs: TIMEOUT_DELAY_MS }, 'zoho');
    const gaveUp = timeouts;
    await api('PUT', '/v1/clients/zd-3', { phones: ['+34 600 200 003'] });
    await until('the lead, committed unheard', async () => (timeouts > gaveUp ? present(await leadsWith('+34600200003')) : undefined), 30_000);
    // Zoho's search does not show the new lead yet when the retry matches.
    s.sandbox.configure({ timeoutRate: 0, searchLagMs: 60_000 }, 'zoho');
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    const { value: logs } = await until('the retry reported done', async () => present((await logsOf('zd-3')).filter((l) => l.status === 'success')), 40_000);
    const [lead, ...more] = await leadsWith('+34600200003');
    expect(more).toEqual([]);
    expect(logs[0]).toMatchObject({ operation: 'update_lead', crmRecordId: lead!.id });
    s.sandbox.configure({ searchLagMs: 0 }, 'zoho');
  }, 90_000);
});

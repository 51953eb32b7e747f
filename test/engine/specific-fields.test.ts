import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

/** The sandbox's dump: each record's properties are flat on it. */
type Row = { id: string } & Record<string, string | null | undefined>;

/** A conversation's extracted ("specific") fields as CRM properties (PRODUCT.md S3), end to end against the HubSpot sandbox. */
describe.each(TEST_DIALECTS)('specific fields to HubSpot on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const contact = async (clientId: string) => {
    const dump = (await (await fetch(`${s.origin}/sandbox/__control/records?crm=hubspot`)).json()) as Record<string, Record<string, Row[]>>;
    return dump.hubspot!.contacts?.find((c) => c.crm_sync_client_id === clientId);
  };
  /** Sync Now, then one pass of the worker. */
  const syncNow = async () => {
    await api('POST', `/v1/connections/${connectionId}/sync`);
    await s.app.syncWorker.runOnce();
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const c = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    connectionId = c.body.id as string;
  }, 60_000);
  afterAll(() => s.close());

  it('with "Specific fields as CRM properties" off, extracted fields are not written; mapped client properties still are', async () => {
    const settings = {
      objects: { properties: false },
      fieldMappings: [
        { source: 'specificFields.budget', target: 'jobtitle' },
        { source: 'stage', target: 'lifecyclestage', type: 'picklist' },
      ],
    };
    expect((await api('PATCH', `/v1/connections/${connectionId}`, { settings })).status).toBe(200);
    await api('POST', '/v1/batch', {
      clients: [{ id: 'off-1', firstName: 'Olga', emails: ['olga@off.io'], properties: { stage: 'lead' } }],
      conversations: [{ id: 'off-cv', clientIds: ['off-1'], channel: 'whatsapp', summary: 'Asked for a quote', specificFields: { budget: '50k' } }],
    });
    // Written with its conversation in one batch, the client needs no second version for the conversation's fields.
    expect(JSON.stringify((await api('GET', '/v1/clients/off-1')).body)).toContain('"version":1');
    await s.app.syncWorker.runOnce();
    const olga = await contact('off-1');
    expect(olga).toMatchObject({ firstname: 'Olga', lifecyclestage: 'lead' });
    expect(olga?.jobtitle ?? undefined).toBeUndefined();
  });

  it('a later conversation’s extracted field reaches the synced contact; the latest conversation by its time wins', async () => {
    await api('PATCH', `/v1/connections/${connectionId}`, { settings: { objects: { properties: true }, fieldMappings: [{ source: 'specificFields.budget', target: 'jobtitle' }] } });
    await api('PUT', '/v1/clients/later-1', { firstName: 'Lia', emails: ['lia@later.io'] });
    await s.app.syncWorker.runOnce();
    expect(await contact('later-1')).toMatchObject({ firstname: 'Lia' });

    // A new conversation is due at once, and so are the fields it gives its client.
    await api('PUT', '/v1/conversations/later-cv-1', { clientIds: ['later-1'], channel: 'call', startedAt: '2026-11-20T10:00:00Z', specificFields: { budget: '50k' } });
    await s.app.syncWorker.runOnce();
    expect((await contact('later-1'))?.jobtitle).toBe('50k');

    // An older conversation that arrives late does not take the field back.
    await api('PUT', '/v1/conversations/later-cv-0', { clientIds: ['later-1'], channel: 'call', startedAt: '2026-11-01T10:00:00Z', specificFields: { budget: '10k' } });
    await syncNow();
    expect((await contact('later-1'))?.jobtitle).toBe('50k');

    await api('PUT', '/v1/conversations/later-cv-2', { clientIds: ['later-1'], channel: 'call', startedAt: '2026-11-25T10:00:00Z', specificFields: { budget: '80k' } });
    await syncNow();
    expect((await contact('later-1'))?.jobtitle).toBe('80k');

    const logs = (await api('GET', '/v1/sync-logs?clientId=later-1&status=success')).body.items as { operation: string }[];
    expect(logs.filter((l) => l.operation === 'update_contact').length).toBeGreaterThanOrEqual(2);
  });

  it('a participant given by e-mail gives its fields to the known client with that e-mail', async () => {
    await api('PUT', '/v1/clients/by-mail-1', { firstName: 'Mar', emails: ['mar@mail.io'] });
    await s.app.syncWorker.runOnce();
    await api('PUT', '/v1/conversations/by-mail-cv', { participants: [{ email: 'Mar@Mail.io' }], channel: 'email', specificFields: { budget: '7k' } });
    await s.app.syncWorker.runOnce();
    expect((await contact('by-mail-1'))?.jobtitle).toBe('7k');
  });

  it('a changed conversation’s fields follow on the interval, or at once with Sync Now', async () => {
    await api('PUT', '/v1/conversations/later-cv-2', { clientIds: ['later-1'], channel: 'call', startedAt: '2026-11-25T10:00:00Z', specificFields: { budget: '90k' } });
    await s.app.syncWorker.runOnce();
    expect((await contact('later-1'))?.jobtitle).toBe('80k');
    await syncNow();
    expect((await contact('later-1'))?.jobtitle).toBe('90k');
  });

  it('a conversation whose messages alone change does not send its client again', async () => {
    await api('POST', '/v1/conversations/later-cv-2/messages', { id: 'm-1', direction: 'inbound', text: 'Hello', sentAt: '2026-11-25T10:01:00Z' });
    const before = ((await api('GET', '/v1/sync-logs?clientId=later-1&status=success')).body.items as unknown[]).length;
    await syncNow();
    expect(((await api('GET', '/v1/sync-logs?clientId=later-1&status=success')).body.items as unknown[]).length).toBe(before);
  });
});

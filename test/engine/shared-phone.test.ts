import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';
import { vendorApi } from './support-sync.js';

type Row = { id: string } & Record<string, string | null | undefined>;

/**
 * A phone number is weaker evidence than an e-mail: families, switchboards and shops share
 * one. A client matched only by phone must not take over a CRM contact that belongs to
 * another client or that has another e-mail (README, "How syncing works").
 */
describe.each(TEST_DIALECTS)('clients that share a phone, in HubSpot, on %s', (dialect) => {
  let s: TestServer;
  let hubspot: ReturnType<typeof vendorApi>;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const contacts = async () =>
    ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=hubspot`)).json()) as Record<string, Record<string, Row[]>>).hubspot!.contacts ?? [];
  const contactOf = (clientId: string) => until(`${clientId} in HubSpot`, async () => (await contacts()).find((c) => c.crm_sync_client_id === clientId), 10_000);
  const logOf = (clientId: string) =>
    until(`${clientId}'s sync log`, async () => ((await api('GET', `/v1/sync-logs?clientId=${clientId}&status=success`)).body.items as { operation: string; crmRecordId: string }[])[0], 10_000);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    hubspot = vendorApi(s.sandboxUrl('hubspot'), token);
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a second client with the same phone and another e-mail gets a contact of its own', async () => {
    await api('PUT', '/v1/clients/ana', { firstName: 'Ana', emails: ['ana@acme.io'], phones: ['+34 600 111 222'] });
    const { value: ana } = await contactOf('ana');
    await api('PUT', '/v1/clients/bo', { firstName: 'Bo', emails: ['bo@acme.io'], phones: ['600 111 222'] });
    const { value: log } = await logOf('bo');
    expect(log.operation).toBe('create_contact');
    expect(log.crmRecordId).not.toBe(ana.id);
    const all = await contacts();
    expect(all.find((c) => c.id === ana.id)).toMatchObject({ email: 'ana@acme.io', firstname: 'Ana', crm_sync_client_id: 'ana' });
    expect(all.find((c) => c.id === log.crmRecordId)).toMatchObject({ email: 'bo@acme.io', firstname: 'Bo' });
  });

  it('a second client with the same phone and no e-mail does not take over the first one’s contact either', async () => {
    await api('PUT', '/v1/clients/cy', { firstName: 'Cy', phones: ['+34 600 111 222'] });
    const { value: log } = await logOf('cy');
    expect(log.operation).toBe('create_contact');
    const ana = (await contacts()).find((c) => c.crm_sync_client_id === 'ana');
    expect(ana).toMatchObject({ email: 'ana@acme.io', firstname: 'Ana' });
  });

  it('a client known only by its phone owns its contact: another client with that phone gets one of its own', async () => {
    await api('PUT', '/v1/clients/gil', { firstName: 'Gil', phones: ['+34 600 999 000'] });
    const { value: gil } = await contactOf('gil');
    await api('PUT', '/v1/clients/hal', { firstName: 'Hal', emails: ['hal@acme.io'], phones: ['+34 600 999 000'] });
    const { value: log } = await logOf('hal');
    expect(log.operation).toBe('create_contact');
    expect((await contacts()).find((c) => c.id === gil.id)).toMatchObject({ firstname: 'Gil', crm_sync_client_id: 'gil' });
    expect((await contacts()).find((c) => c.id === gil.id)?.email ?? null).toBeNull();
  });

  it('a salesperson’s contact with another e-mail is not taken over by a phone match', async () => {
    const made = await hubspot('POST', '/crm/v3/objects/contacts', { properties: { email: 'zoe@other.io', firstname: 'Zoe', phone: '+34600333444' } });
    expect(made.status).toBe(201);
    await api('PUT', '/v1/clients/dan', { firstName: 'Dan', emails: ['dan@acme.io'], phones: ['+34600333444'] });
    const { value: log } = await logOf('dan');
    expect(log.operation).toBe('create_contact');
    expect(log.crmRecordId).not.toBe(made.body.id);
    expect((await contacts()).find((c) => c.id === made.body.id)).toMatchObject({ email: 'zoe@other.io', firstname: 'Zoe' });
  });

  it('a contact with that phone and no e-mail, linked to no client, is still matched by phone', async () => {
    const made = await hubspot('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Eve', phone: '+34600555666' } });
    await api('PUT', '/v1/clients/eve', { firstName: 'Eve', lastName: 'Ruiz', emails: ['eve@acme.io'], phones: ['+34 600 555 666'] });
    const { value: log } = await logOf('eve');
    expect(log).toMatchObject({ operation: 'update_contact', crmRecordId: made.body.id });
    expect((await contacts()).find((c) => c.id === made.body.id)).toMatchObject({ email: 'eve@acme.io', lastname: 'Ruiz' });
  });

  it('of two new clients in one pass that find the same e-mail-less contact by phone, only the first takes it', async () => {
    const made = await hubspot('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Shop', phone: '+34600444555' } });
    const res = await api('POST', '/v1/batch', {
      clients: [
        { id: 'jo', firstName: 'Jo', emails: ['jo@acme.io'], phones: ['+34 600 444 555'] },
        { id: 'kim', firstName: 'Kim', emails: ['kim@acme.io'], phones: ['+34 600 444 555'] },
      ],
    });
    expect(res.status).toBe(200);
    const [{ value: jo }, { value: kim }] = [await logOf('jo'), await logOf('kim')];
    expect(jo).toMatchObject({ operation: 'update_contact', crmRecordId: made.body.id });
    expect(kim.operation).toBe('create_contact');
    const all = await contacts();
    expect(all.find((c) => c.id === made.body.id)).toMatchObject({ email: 'jo@acme.io' });
    expect(all.find((c) => c.id === kim.crmRecordId)).toMatchObject({ email: 'kim@acme.io', firstname: 'Kim' });
  });

  it('two clients with the same e-mail are one person: they share one contact, as before', async () => {
    await api('PUT', '/v1/clients/fay-1', { firstName: 'Fay', emails: ['fay@acme.io'], phones: ['+34 600 777 888'] });
    const { value: first } = await logOf('fay-1');
    await api('PUT', '/v1/clients/fay-2', { firstName: 'Fay', emails: ['FAY@acme.io'], phones: ['+34 600 777 888'] });
    const { value: second } = await logOf('fay-2');
    expect(second).toMatchObject({ operation: 'update_contact', crmRecordId: first.crmRecordId });
  });
});

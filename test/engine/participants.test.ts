import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { connectionBody, vendorApi } from './support-sync.js';

type Row = Record<string, unknown>;
type Log = { operation: string; status: string; entityId: string | null; clientId: string | null; crmRecordId: string | null; message: string | null };

/**
 * Conversation participants given by e-mail or phone (PRODUCT.md: "if the participant has an
 * email registered in the CRM, the conversation is associated with that contact").
 */
function harness() {
  const h = {
    s: undefined as unknown as TestServer,
    api: async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.s.origin}${path}`, { method, headers: { ...h.s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    dump: async (crm: string) => ((await (await fetch(`${h.s.origin}/sandbox/__control/records?crm=${crm}`)).json()) as Record<string, Record<string, Row[]>>)[crm]!,
    logsOf: async (conversationId: string) => ((await h.api('GET', '/v1/sync-logs?limit=200')).body.items as Log[]).filter((l) => l.entityId === conversationId),
  };
  return h;
}

describe.each(TEST_DIALECTS)('conversation participants by e-mail or phone, HubSpot on %s', (dialect) => {
  const h = harness();
  let hubspot: ReturnType<typeof vendorApi>;
  const noteContacts = async (noteId: unknown) =>
    (((await hubspot('GET', `/crm/v4/objects/notes/${String(noteId)}/associations/contacts`)).body.results ?? []) as { toObjectId: number }[]).map((r) => String(r.toObjectId));
  const noteWith = async (text: string) => (await h.dump('hubspot')).notes?.find((n) => String(n.hs_note_body).includes(text));

  beforeAll(async () => {
    h.s = await startTestServer(dialect);
    const account = await h.s.account('hubspot');
    hubspot = vendorApi(h.s.sandboxUrl('hubspot'), account.credentials.privateAppToken!);
    expect((await h.api('POST', '/v1/connections', connectionBody('hubspot', account, h.s.sandboxUrl('hubspot')))).status).toBe(201);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a participant whose e-mail is a HubSpot contact gets the note on that contact', async () => {
    const made = await hubspot('POST', '/crm/v3/objects/contacts', { properties: { email: 'ana@acme.io', firstname: 'Ana' } });
    expect(made.status).toBe(201);
    expect((await h.api('PUT', '/v1/conversations/pe-1', { participants: [{ email: 'Ana@Acme.io' }], channel: 'whatsapp', summary: 'Asked about pricing.' })).status).toBe(201);
    await h.s.app.syncWorker.runOnce();
    const note = await noteWith('Asked about pricing.');
    expect(note).toBeDefined();
    expect(await noteContacts(note!.id)).toEqual([String(made.body.id)]);
    expect(await h.logsOf('pe-1')).toEqual([expect.objectContaining({ operation: 'add_note', status: 'success', crmRecordId: String(note!.id) })]);
  });

  it('a participant whose phone is a known client’s gets the note on that client’s contact', async () => {
    await h.api('PUT', '/v1/clients/pk-1', { firstName: 'Pau', phones: ['+34 600 222 333'] });
    await h.s.app.syncWorker.runOnce();
    const contact = (await h.dump('hubspot')).contacts!.find((c) => c.crm_sync_client_id === 'pk-1')!;
    await h.api('PUT', '/v1/conversations/pe-2', { participants: [{ phone: '600 222 333' }], channel: 'call', summary: 'Called back about the order.' });
    await h.s.app.syncWorker.runOnce();
    const note = await noteWith('Called back about the order.');
    expect(await noteContacts(note!.id)).toEqual([String(contact.id)]);
    expect((await h.logsOf('pe-2')).find((l) => l.operation === 'add_note')).toMatchObject({ status: 'success', clientId: 'pk-1' });
  });

  it('a participant no client and no HubSpot contact has is logged as skipped, saying so', async () => {
    await h.api('PUT', '/v1/conversations/pe-3', { participants: [{ email: 'nobody@nowhere.io' }], channel: 'email', summary: 'Nobody knows them.' });
    await h.s.app.syncWorker.runOnce();
    expect(await noteWith('Nobody knows them.')).toBeUndefined();
    const [log] = await h.logsOf('pe-3');
    expect(log).toMatchObject({ operation: 'sync_conversation', status: 'skipped' });
    expect(log!.message).toMatch(/nobody@nowhere\.io/);
    expect(log!.message).toMatch(/HubSpot/);
  });
});

describe.each(TEST_DIALECTS)('conversation participants by e-mail or phone, Salesforce on %s', (dialect) => {
  const h = harness();
  let salesforce: ReturnType<typeof vendorApi>;

  beforeAll(async () => {
    h.s = await startTestServer(dialect);
    const account = await h.s.account('salesforce');
    salesforce = vendorApi(`${h.s.sandboxUrl('salesforce')}/services/data/v60.0`, account.credentials.sessionId!);
    expect((await h.api('POST', '/v1/connections', connectionBody('salesforce', account, h.s.sandboxUrl('salesforce')))).status).toBe(201);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a participant whose e-mail is a Salesforce Contact gets the summary as a Task on that Contact', async () => {
    const contact = await salesforce('POST', '/sobjects/Contact', { LastName: 'Benes', Email: 'elaine@pendant.test' });
    expect(contact.status).toBe(201);
    await h.api('PUT', '/v1/conversations/se-1', { participants: [{ email: 'elaine@pendant.test' }], channel: 'whatsapp', summary: 'Wants the catalogue.' });
    await h.s.app.syncWorker.runOnce();
    const tasks = ((await h.dump('salesforce')).Task ?? []).filter((t) => t.WhoId === contact.body.id);
    expect(tasks).toHaveLength(1);
    expect(String(tasks[0]!.Description)).toContain('Wants the catalogue.');
    expect((await h.logsOf('se-1')).map((l) => [l.operation, l.status])).toEqual([['add_note', 'success']]);
  });

  it('a participant by phone that nobody has is logged as skipped, saying so', async () => {
    await h.api('PUT', '/v1/conversations/se-2', { participants: [{ phone: '+34 611 000 999' }], channel: 'call', summary: 'Wrong number.' });
    await h.s.app.syncWorker.runOnce();
    expect(((await h.dump('salesforce')).Task ?? []).filter((t) => String(t.Description).includes('Wrong number.'))).toEqual([]);
    const [log] = await h.logsOf('se-2');
    expect(log).toMatchObject({ operation: 'sync_conversation', status: 'skipped' });
    expect(log!.message).toMatch(/\+34611000999/);
  });
});

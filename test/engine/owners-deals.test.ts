import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { connectionBody, crmRows, vendorApi } from './support-sync.js';

describe.each(TEST_DIALECTS)('HubSpot owners by e-mail and the open deal, on %s', (dialect) => {
  let s: TestServer;
  let hubspot: ReturnType<typeof vendorApi>;
  const api = (method: string, path: string, body?: unknown) => s.api(method, path, body);
  const contactOf = (clientId: string) => crmRows(s.sandbox, 'hubspot', 'contacts').find((c) => c.crm_sync_client_id === clientId);
  const notesOf = (conversationId: string) => crmRows(s.sandbox, 'hubspot', 'notes').filter((n) => String(n.crm_sync_key).startsWith(`${conversationId}:note:`));
  const associated = async (from: string, id: unknown, to: string) =>
    (((await hubspot('GET', `/crm/v4/objects/${from}/${String(id)}/associations/${to}`)).body.results ?? []) as { toObjectId: number }[]).map((r) => String(r.toObjectId)).sort();
  const syncAll = () => s.syncAll();

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const account = await s.account('hubspot');
    hubspot = vendorApi(s.sandboxUrl('hubspot'), account.credentials.privateAppToken!);
    const c = await api('POST', '/v1/connections', connectionBody('hubspot', account, s.sandboxUrl('hubspot')));
    expect(c.status).toBe(201);
  }, 60_000);
  afterAll(() => s.close());

  it("a client whose ownerEmail is a HubSpot owner's e-mail gets that owner; an unknown e-mail gets none", async () => {
    const owners = (await hubspot('GET', '/crm/v3/owners')).body.results as { id: string; email: string }[];
    const sales = owners.find((o) => o.email === 'sales@sandbox.crm-sync.test')!;
    expect(sales.id).toBe('71000002');
    await api('POST', '/v1/batch', {
      clients: [
        { id: 'od-1', firstName: 'Olga', lastName: 'Owned', emails: ['olga@deals.test'], ownerEmail: 'Sales@Sandbox.CRM-Sync.test' },
        { id: 'od-2', firstName: 'Nils', lastName: 'Nobody', emails: ['nils@deals.test'], ownerEmail: 'someone.else@deals.test' },
      ],
    });
    await syncAll();
    expect(contactOf('od-1')).toMatchObject({ email: 'olga@deals.test', hubspot_owner_id: '71000002' });
    expect(contactOf('od-2')!.hubspot_owner_id ?? null).toBeNull();
  });

  // A failed owner lookup (5xx after its retries) defers the client rather than writing it without its owner.
  it('still gives the contact its owner when HubSpot fails while the owner is looked up', async () => {
    await api('PUT', '/v1/clients/od-3', { firstName: 'Sue', lastName: 'Supported', emails: ['sue@deals.test'], ownerEmail: 'support@sandbox.crm-sync.test' });
    // The client's first HubSpot call is the owner lookup: it fails all five of its attempts.
    s.sandbox.configure({ failNext: 5 }, 'hubspot');
    await syncAll();
    expect(contactOf('od-3')).toMatchObject({ email: 'sue@deals.test', hubspot_owner_id: '71000003' });
  });

  it("associates a conversation's note to the contact's open deal too, not to a closed one", async () => {
    const contact = contactOf('od-1')!;
    const deal = async (dealname: string, dealstage: string) => {
      const created = await hubspot('POST', '/crm/v3/objects/deals', { properties: { dealname, dealstage, pipeline: 'default', amount: '5000' } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = String(created.body.id);
      const linked = await hubspot('PUT', `/crm/v4/objects/deals/${id}/associations/default/contacts/${String(contact.id)}`);
      expect(linked.status, JSON.stringify(linked.body)).toBe(200);
      return id;
    };
    const open = await deal('Olga: 50 seats', 'appointmentscheduled');
    // Won later than the open one was created: the newest deal, but closed.
    await deal('Olga: pilot', 'closedwon');

    await api('PUT', '/v1/conversations/odc-1', { clientIds: ['od-1'], channel: 'whatsapp', title: 'Pricing', summary: 'Olga asked for volume pricing.', startedAt: '2026-11-20T09:00:00Z' });
    await syncAll();
    const [note] = notesOf('odc-1');
    expect(note).toBeDefined();
    expect(await associated('notes', note!.id, 'deals')).toEqual([open]);
    expect(await associated('notes', note!.id, 'contacts')).toEqual([String(contact.id)]);
  });

  it('a conversation of a client without an open deal gets a note on the contact only', async () => {
    await api('PUT', '/v1/conversations/odc-2', { clientIds: ['od-2'], channel: 'whatsapp', summary: 'Nils is only browsing.', startedAt: '2026-11-20T09:30:00Z' });
    await syncAll();
    const [note] = notesOf('odc-2');
    expect(await associated('notes', note!.id, 'deals')).toEqual([]);
    expect(await associated('notes', note!.id, 'contacts')).toEqual([String(contactOf('od-2')!.id)]);
  });

  it('still associates the open deal when HubSpot fails while the deal is looked up', async () => {
    const [open] = await associated('contacts', contactOf('od-1')!.id, 'deals').then(async (ids) => {
      const deals = crmRows(s.sandbox, 'hubspot', 'deals').filter((d) => ids.includes(String(d.id)) && d.dealstage !== 'closedwon');
      return deals.map((d) => String(d.id));
    });
    await api('PUT', '/v1/conversations/odc-3', { clientIds: ['od-1'], channel: 'whatsapp', summary: 'Olga confirmed the budget.', startedAt: '2026-11-20T10:00:00Z' });
    // The conversation's first HubSpot call is the deal lookup: it fails all five of its attempts.
    s.sandbox.configure({ failNext: 5 }, 'hubspot');
    await syncAll();
    const notes = notesOf('odc-3');
    expect(notes).toHaveLength(1);
    expect(await associated('notes', notes[0]!.id, 'deals')).toEqual([open]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { connectionBody, crmRows, vendorApi } from './support-sync.js';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
type Log = { operation: string; status: string; message: string | null; entityId: string | null; crmRecordId: string | null };

function harness() {
  const h = {
    s: undefined as unknown as TestServer,
    api: ((method, path, body) => h.s.api(method, path, body)) as Call,
    syncAll: () => h.s.syncAll(),
    logs: async (query: string) => (await h.api('GET', `/v1/sync-logs?${query}`)).body.items as Log[],
  };
  return h;
}

describe.each(TEST_DIALECTS)('deals on request to HubSpot on %s', (dialect) => {
  const h = harness();
  let hubspot: Call;
  let autochatId: string;
  const deals = () => crmRows(h.s.sandbox, 'hubspot', 'deals');
  const contactOf = (clientId: string) => crmRows(h.s.sandbox, 'hubspot', 'contacts').find((c) => c.crm_sync_client_id === clientId);
  const associated = async (from: string, id: unknown, to: string) =>
    (((await hubspot('GET', `/crm/v4/objects/${from}/${String(id)}/associations/${to}`)).body.results ?? []) as { toObjectId: number }[]).map((r) => String(r.toObjectId)).sort();

  beforeAll(async () => {
    h.s = await startTestServer(dialect);
    const account = await h.s.account('hubspot');
    hubspot = vendorApi(h.s.sandboxUrl('hubspot'), account.credentials.privateAppToken!);
    expect((await h.api('POST', '/v1/connections', connectionBody('hubspot', account, h.s.sandboxUrl('hubspot')))).status).toBe(201);
    // A second CRM in the workspace that has no deals at all.
    const key = (await h.s.account('autochat')).credentials.apiKey!;
    const base = h.s.sandboxUrl('autochat');
    const ac = await h.api('POST', '/v1/connections', { crm: 'autochat', auth: { method: 'api_key', apiKey: key }, instanceUrl: base, baseUrl: base });
    expect(ac.status).toBe(201);
    autochatId = ac.body.id as string;
  }, 60_000);
  afterAll(() => h.s.close());

  it('a deal PUT becomes one HubSpot deal in the first open stage, associated with the contact and its company', async () => {
    await h.api('POST', '/v1/batch', {
      companies: [{ id: 'dco-1', name: 'Vandelay', domain: 'vandelay.com' }],
      clients: [{ id: 'dc-1', firstName: 'Art', lastName: 'Vandelay', emails: ['art@vandelay.com'], companyId: 'dco-1' }],
    });
    const put = await h.api('PUT', '/v1/deals/deal-1', { clientId: 'dc-1', title: 'Latex import', amount: 12500, currency: 'eur', closeDate: '2026-12-31', ownerEmail: 'Sales@Sandbox.CRM-Sync.test' });
    expect(put.status).toBe(201);
    expect(put.body.deal).toMatchObject({ id: 'deal-1', currency: 'EUR', ownerEmail: 'sales@sandbox.crm-sync.test', version: 1 });
    expect((await h.api('GET', '/v1/deals/deal-1')).body).toMatchObject({ title: 'Latex import', amount: 12500 });
    await h.syncAll();
    const made = deals().filter((d) => d.crm_sync_deal_id === 'deal-1');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ dealname: 'Latex import', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '12500', deal_currency_code: 'EUR', hubspot_owner_id: '71000002' });
    expect(String(made[0]!.closedate)).toMatch(/^2026-12-31T00:00:00/);
    expect(await associated('deals', made[0]!.id, 'contacts')).toEqual([String(contactOf('dc-1')!.id)]);
    const company = crmRows(h.s.sandbox, 'hubspot', 'companies').find((c) => c.crm_sync_company_id === 'dco-1')!;
    expect(await associated('deals', made[0]!.id, 'companies')).toEqual([String(company.id)]);
    expect(await h.logs('operation=create_deal&status=success')).toEqual([expect.objectContaining({ entityId: 'deal-1', crmRecordId: String(made[0]!.id) })]);
  });

  it("then a conversation's note is associated with that deal", async () => {
    await h.api('PUT', '/v1/conversations/dconv-1', { clientIds: ['dc-1'], channel: 'whatsapp', summary: 'Wants the latex next week.' });
    await h.syncAll();
    const note = crmRows(h.s.sandbox, 'hubspot', 'notes').find((n) => String(n.crm_sync_key).startsWith('dconv-1:note:'))!;
    const deal = deals().find((d) => d.crm_sync_deal_id === 'deal-1')!;
    expect(await associated('notes', note.id, 'deals')).toEqual([String(deal.id)]);
  });

  it('a replay never makes a second deal: the same PUT, a changed PUT, and a lost link all leave one', async () => {
    expect((await h.api('PUT', '/v1/deals/deal-1', { clientId: 'dc-1', title: 'Latex import', amount: 12500, currency: 'EUR', closeDate: '2026-12-31', ownerEmail: 'sales@sandbox.crm-sync.test' })).body.result).toBe('unchanged');
    expect((await h.api('PUT', '/v1/deals/deal-1', { clientId: 'dc-1', title: 'Latex import', amount: 99 })).body.result).toBe('updated');
    await h.syncAll();
    expect(await h.logs('operation=create_deal&status=skipped')).toContainEqual(
      expect.objectContaining({ entityId: 'deal-1', message: 'already created; crm-sync creates deals, it does not edit them' }),
    );
    // As if the answer to the create had been lost: no link, so the deal is looked for by its key.
    await h.s.t.store.db.deleteFrom('crm_links').where('entity_type', '=', 'deal').execute();
    await h.api('PUT', '/v1/deals/deal-1', { clientId: 'dc-1', title: 'Latex import', amount: 100 });
    await h.syncAll();
    const made = deals().filter((d) => d.crm_sync_deal_id === 'deal-1');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ amount: '12500' });
  });

  it('a deal for a client not yet synced waits for its contact', async () => {
    await h.api('PUT', '/v1/deals/deal-2', { clientId: 'dc-2', title: 'Second deal' });
    await h.api('PUT', '/v1/clients/dc-2', { lastName: 'Kramer', emails: ['kramer@kramerica.test'] });
    await h.syncAll();
    const made = deals().filter((d) => d.crm_sync_deal_id === 'deal-2');
    expect(made).toHaveLength(1);
    expect(await associated('deals', made[0]!.id, 'contacts')).toEqual([String(contactOf('dc-2')!.id)]);
  });

  it('a CRM without deals logs the deal as skipped', async () => {
    const logs = await h.logs(`connectionId=${autochatId}&operation=create_deal`);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((l) => l.status === 'skipped' && l.message === 'AutoChat CRM has no deals')).toBe(true);
  });

  it.each([
    [{ title: 'No client' }, 'clientId'],
    [{ clientId: 'dc-1', title: '  ' }, 'title'],
    [{ clientId: 'dc-1' }, 'title'],
    [{ clientId: 'dc-1', title: 'T', currency: 'EURO' }, 'currency'],
    [{ clientId: 'dc-1', title: 'T', closeDate: '2026-02-30' }, 'closeDate'],
    [{ clientId: 'dc-1', title: 'T', closeDate: '2026-02-32' }, 'closeDate'],
    [{ clientId: 'dc-1', title: 'T', closeDate: '31/12/2026' }, 'closeDate'],
    [{ clientId: 'dc-1', title: 'T', amount: '100' }, 'amount'],
    [{ clientId: 'dc-1', title: 'T', ownerEmail: 'not-an-email' }, 'ownerEmail'],
    [{ clientId: 'dc-1', title: 'T', stage: 'won' }, ''],
  ])('refuses the deal body %j with 400 naming %s', async (body, field) => {
    const res = await h.api('PUT', '/v1/deals/bad-1', body);
    expect(res.status).toBe(400);
    const error = res.body.error as { code: string; details?: { path: string; message: string }[] };
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(error.details ?? error)).toContain(field || 'stage');
    expect((await h.api('GET', '/v1/deals/bad-1')).status).toBe(404);
  });
});

describe.each(TEST_DIALECTS)('deals on request to Salesforce on %s', (dialect) => {
  const h = harness();
  let salesforce: Call;
  const soql = async (q: string) => ((await salesforce('GET', `/query?q=${encodeURIComponent(q)}`)).body.records ?? []) as Record<string, unknown>[];

  beforeAll(async () => {
    h.s = await startTestServer(dialect);
    const account = await h.s.account('salesforce');
    salesforce = vendorApi(`${h.s.sandboxUrl('salesforce')}/services/data/v60.0`, account.credentials.sessionId!);
    expect((await h.api('POST', '/v1/connections', connectionBody('salesforce', account, h.s.sandboxUrl('salesforce')))).status).toBe(201);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a deal for an existing Contact becomes an Opportunity with an OpportunityContactRole; a replay makes neither twice', async () => {
    const contact = await salesforce('POST', '/sobjects/Contact', { LastName: 'Benes', Email: 'elaine@pendant.test' });
    expect(contact.status).toBe(201);
    await h.api('PUT', '/v1/clients/sd-1', { firstName: 'Elaine', lastName: 'Benes', emails: ['elaine@pendant.test'] });
    await h.api('PUT', '/v1/deals/sdeal-1', { clientId: 'sd-1', title: 'Pendant catalogue', amount: 4000 });
    await h.syncAll();
    const opportunities = await soql("SELECT Id, Name, StageName, CloseDate, Amount, IsClosed FROM Opportunity WHERE CrmSync_Id__c = 'sdeal-1'");
    expect(opportunities).toEqual([expect.objectContaining({ Name: 'Pendant catalogue', StageName: 'Prospecting', Amount: 4000, IsClosed: false })]);
    // No close date asked for: Salesforce requires one, so 30 days ahead.
    const days = (Date.parse(String(opportunities[0]!.CloseDate)) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(28);
    expect(days).toBeLessThan(31);
    const roles = () => soql(`SELECT Id, ContactId FROM OpportunityContactRole WHERE OpportunityId = '${String(opportunities[0]!.Id)}'`);
    expect(await roles()).toEqual([expect.objectContaining({ ContactId: contact.body.id })]);

    await h.s.t.store.db.deleteFrom('crm_links').where('entity_type', '=', 'deal').execute();
    await h.api('PUT', '/v1/deals/sdeal-1', { clientId: 'sd-1', title: 'Pendant catalogue', amount: 4000, closeDate: '2027-01-15' });
    await h.syncAll();
    expect(await soql("SELECT Id FROM Opportunity WHERE CrmSync_Id__c = 'sdeal-1'")).toHaveLength(1);
    expect(await roles()).toHaveLength(1);
  });

  it("then a conversation's Task is on that Opportunity", async () => {
    await h.api('PUT', '/v1/conversations/sconv-1', { clientIds: ['sd-1'], channel: 'email', summary: 'Sent the catalogue.' });
    await h.syncAll();
    const [opportunity] = await soql("SELECT Id FROM Opportunity WHERE CrmSync_Id__c = 'sdeal-1'");
    const tasks = await soql(`SELECT Id, WhatId FROM Task WHERE WhatId = '${String(opportunity!.Id)}'`);
    expect(tasks).toHaveLength(1);
  });

  it('a deal for a client that is only a Lead fails with what to do', async () => {
    await h.api('PUT', '/v1/clients/sd-2', { lastName: 'Costanza', emails: ['george@vandelay.test'] });
    await h.api('PUT', '/v1/deals/sdeal-2', { clientId: 'sd-2', title: 'Latex' });
    await h.syncAll();
    expect(await soql("SELECT Id FROM Opportunity WHERE CrmSync_Id__c = 'sdeal-2'")).toHaveLength(0);
    expect(await h.logs('operation=create_deal&status=failed')).toEqual([expect.objectContaining({ entityId: 'sdeal-2', message: expect.stringContaining('Lead can have no Opportunity until it is converted') })]);
  });
});

describe.each(TEST_DIALECTS)('companies and deals on request to Zoho CRM on %s', (dialect) => {
  const h = harness();
  let connectionId: string;
  type Row = { id: string } & Record<string, unknown>;
  const dump = async () => ((await (await fetch(`${h.s.origin}/sandbox/__control/records?crm=zoho`)).json()) as Record<string, Record<string, Row[]>>).zoho!;
  const idOf = (lookup: unknown) => (lookup as { id?: string } | null)?.id;

  beforeAll(async () => {
    h.s = await startTestServer(dialect);
    const back = await approveOAuth(h.s, 'zoho', { baseUrl: h.s.sandboxUrl('zoho') });
    connectionId = back.searchParams.get('connection')!;
    // Clients as Contacts (Deals link Contacts); "Chat" is in the sandbox's Lead Source picklist.
    const patched = await h.api('PATCH', `/v1/connections/${connectionId}`, { settings: { destination: { module: 'Contacts', phoneField: 'Phone', nameField: 'Last_Name', leadSourceValue: 'Chat' } } });
    expect(patched.status).toBe(200);
    // Zoho syncs nothing before "Activate integration".
    expect((await h.api('POST', `/v1/connections/${connectionId}/activate`)).status).toBe(200);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a company becomes an Account, its client a Contact with Account_Name, and a deal a Deal with Contact_Name, once', async () => {
    await h.api('POST', '/v1/batch', {
      companies: [{ id: 'zco-1', name: 'Pendant Publishing', domain: 'pendant.test' }],
      clients: [{ id: 'zc-1', firstName: 'Elaine', lastName: 'Benes', emails: ['elaine@pendant.test'], phones: ['+34 600 222 333'], companyId: 'zco-1' }],
      deals: [{ id: 'zdeal-1', clientId: 'zc-1', title: 'Catalogue', amount: 800, closeDate: '2026-12-01' }],
    });
    await h.syncAll();
    const d = await dump();
    const accounts = d.Accounts!.filter((a) => a.Website === 'pendant.test');
    expect(accounts).toEqual([expect.objectContaining({ Account_Name: 'Pendant Publishing' })]);
    const contact = d.Contacts!.find((c) => c.Email === 'elaine@pendant.test')!;
    expect(idOf(contact.Account_Name)).toBe(accounts[0]!.id);
    const deals = d.Deals!.filter((x) => x.Deal_Name === 'Catalogue');
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ Stage: 'Qualification', Closing_Date: '2026-12-01', Amount: 800 });
    expect(idOf(deals[0]!.Contact_Name)).toBe(contact.id);
    expect(idOf(deals[0]!.Account_Name)).toBe(accounts[0]!.id);

    await h.s.t.store.db.deleteFrom('crm_links').where('entity_type', 'in', ['deal', 'company']).execute();
    await h.api('POST', '/v1/batch', { companies: [{ id: 'zco-1', name: 'Pendant Publishing', domain: 'https://pendant.test' }], deals: [{ id: 'zdeal-1', clientId: 'zc-1', title: 'Catalogue', amount: 900 }] });
    await h.syncAll();
    const again = await dump();
    expect(again.Accounts!.filter((a) => a.Account_Name === 'Pendant Publishing')).toHaveLength(1);
    expect(again.Deals!.filter((x) => x.Deal_Name === 'Catalogue')).toHaveLength(1);
  });
});

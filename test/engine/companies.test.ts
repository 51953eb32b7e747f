import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { connectionBody, crmRows, vendorApi } from './support-sync.js';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

function harness(dialect: (typeof TEST_DIALECTS)[number]) {
  const h = {
    s: undefined as unknown as TestServer,
    connectionId: '',
    api: ((method, path, body) => h.s.api(method, path, body)) as Call,
    syncAll: () => h.s.syncAll(),
    logs: async (query: string) => (await h.api('GET', `/v1/sync-logs?${query}`)).body.items as { operation: string; status: string; message: string | null; entityId: string | null }[],
    start: async (crm: 'hubspot' | 'salesforce') => {
      h.s = await startTestServer(dialect);
      const account = await h.s.account(crm);
      const c = await h.api('POST', '/v1/connections', connectionBody(crm, account, h.s.sandboxUrl(crm)));
      expect(c.status).toBe(201);
      h.connectionId = c.body.id as string;
      return account;
    },
  };
  return h;
}

describe.each(TEST_DIALECTS)('companies to HubSpot on %s', (dialect) => {
  const h = harness(dialect);
  let hubspot: Call;
  const companies = () => crmRows(h.s.sandbox, 'hubspot', 'companies');
  const contactOf = (clientId: string) => crmRows(h.s.sandbox, 'hubspot', 'contacts').find((c) => c.crm_sync_client_id === clientId);
  const companiesOf = async (contactId: unknown) =>
    (((await hubspot('GET', `/crm/v4/objects/contacts/${String(contactId)}/associations/companies`)).body.results ?? []) as { toObjectId: number }[]).map((r) => String(r.toObjectId));
  const first = {
    companies: [{ id: 'co-1', name: 'Acme', domain: 'https://www.Acme.io/', externalAccountId: 'acct-1' }],
    clients: [{ id: 'cc-1', firstName: 'Ada', lastName: 'Acme', emails: ['ada@acme.io'], companyId: 'co-1' }],
  };

  beforeAll(async () => {
    const account = await h.start('hubspot');
    hubspot = vendorApi(h.s.sandboxUrl('hubspot'), account.credentials.privateAppToken!);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a company and a client with its companyId become one HubSpot company associated with the contact', async () => {
    expect((await h.api('POST', '/v1/batch', first)).status).toBe(200);
    await h.syncAll();
    const made = companies().filter((c) => c.crm_sync_company_id === 'co-1');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ name: 'Acme', domain: 'acme.io', crm_sync_account_id: 'acct-1' });
    expect(await companiesOf(contactOf('cc-1')!.id)).toEqual([String(made[0]!.id)]);
    expect(await h.logs('operation=create_company&status=success')).toEqual([expect.objectContaining({ entityId: 'co-1' })]);
  });

  it('a second company is matched by domain to the HubSpot company a salesperson made: no duplicate', async () => {
    const made = await hubspot('POST', '/crm/v3/objects/companies', { properties: { name: 'Globex Corporation', domain: 'globex.com' } });
    expect(made.status).toBe(201);
    await h.api('POST', '/v1/batch', {
      companies: [{ id: 'co-2', name: 'Globex', domain: 'globex.com' }],
      clients: [{ id: 'cc-2', firstName: 'Hank', lastName: 'Scorpio', emails: ['hank@globex.com'], companyId: 'co-2' }],
    });
    await h.syncAll();
    const globex = companies().filter((c) => c.domain === 'globex.com');
    expect(globex).toHaveLength(1);
    expect(globex[0]).toMatchObject({ id: made.body.id, crm_sync_company_id: 'co-2', name: 'Globex' });
    expect(await companiesOf(contactOf('cc-2')!.id)).toEqual([String(made.body.id)]);
  });

  it('a company matched by its account id keeps its HubSpot record when its domain changes', async () => {
    await h.api('PUT', '/v1/companies/co-1', { name: 'Acme', domain: 'acme.com', externalAccountId: 'acct-1' });
    await h.api('POST', `/v1/connections/${h.connectionId}/sync`);
    await h.syncAll();
    const acme = companies().filter((c) => c.crm_sync_account_id === 'acct-1');
    expect(acme).toHaveLength(1);
    expect(acme[0]).toMatchObject({ domain: 'acme.com' });
  });

  it('the same requests again change nothing in HubSpot', async () => {
    const before = { companies: companies().length, contacts: crmRows(h.s.sandbox, 'hubspot', 'contacts').length };
    const again = await h.api('POST', '/v1/batch', { companies: [{ id: 'co-2', name: 'Globex', domain: 'globex.com' }], clients: [{ id: 'cc-2', firstName: 'Hank', lastName: 'Scorpio', emails: ['hank@globex.com'], companyId: 'co-2' }] });
    expect(again.body).toMatchObject({ companies: [{ result: 'unchanged' }], clients: [{ result: 'unchanged' }] });
    await h.api('POST', `/v1/connections/${h.connectionId}/sync`);
    await h.syncAll();
    expect({ companies: companies().length, contacts: crmRows(h.s.sandbox, 'hubspot', 'contacts').length }).toEqual(before);
    expect(await h.logs('operation=create_company')).toHaveLength(1);
  });

  it('a client sent before its company is associated with it once both are synced', async () => {
    await h.api('PUT', '/v1/clients/cc-3', { firstName: 'Wanda', emails: ['wanda@initrode.io'], companyId: 'co-3' });
    await h.api('PUT', '/v1/companies/co-3', { name: 'Initrode', domain: 'initrode.io' });
    await h.syncAll();
    const initrode = companies().find((c) => c.crm_sync_company_id === 'co-3')!;
    expect(await companiesOf(contactOf('cc-3')!.id)).toEqual([String(initrode.id)]);
  });

  it('a client synced before its company existed is associated with it once the company arrives', async () => {
    await h.api('PUT', '/v1/clients/cc-5', { firstName: 'Newman', emails: ['newman@usps.test'], companyId: 'co-5' });
    await h.syncAll();
    expect(await companiesOf(contactOf('cc-5')!.id)).toEqual([]);
    await h.api('PUT', '/v1/companies/co-5', { name: 'USPS', domain: 'usps.test' });
    await h.syncAll();
    const usps = companies().find((c) => c.crm_sync_company_id === 'co-5')!;
    expect(await companiesOf(contactOf('cc-5')!.id)).toEqual([String(usps.id)]);
  });

  it('with companies turned off, a company is skipped with the reason and its client is synced alone', async () => {
    expect((await h.api('PATCH', `/v1/connections/${h.connectionId}`, { settings: { objects: { companies: false } } })).status).toBe(200);
    await h.api('POST', '/v1/batch', { companies: [{ id: 'co-4', name: 'Umbrella', domain: 'umbrella.test' }], clients: [{ id: 'cc-4', lastName: 'Wesker', emails: ['al@umbrella.test'], companyId: 'co-4' }] });
    await h.syncAll();
    expect(companies().some((c) => c.domain === 'umbrella.test')).toBe(false);
    expect(await companiesOf(contactOf('cc-4')!.id)).toEqual([]);
    expect(await h.logs('status=skipped&operation=sync_company')).toEqual([expect.objectContaining({ entityId: 'co-4', message: 'companies are turned off for this connection' })]);
    await h.api('PATCH', `/v1/connections/${h.connectionId}`, { settings: { objects: { companies: true } } });
  });
});

describe.each(TEST_DIALECTS)('companies to Salesforce on %s', (dialect) => {
  const h = harness(dialect);
  let salesforce: Call;
  const soql = async (q: string) => ((await salesforce('GET', `/query?q=${encodeURIComponent(q)}`)).body.records ?? []) as Record<string, unknown>[];

  beforeAll(async () => {
    const account = await h.start('salesforce');
    salesforce = vendorApi(`${h.s.sandboxUrl('salesforce')}/services/data/v60.0`, account.credentials.sessionId!);
  }, 60_000);
  afterAll(() => h.s.close());

  it('a company becomes an Account and an existing Contact of its client gets its AccountId', async () => {
    const contact = await salesforce('POST', '/sobjects/Contact', { LastName: 'Lumbergh', Email: 'bill@initech.com' });
    expect(contact.status).toBe(201);
    await h.api('POST', '/v1/batch', {
      companies: [{ id: 'sco-1', name: 'Initech', domain: 'initech.com' }],
      clients: [{ id: 'scc-1', firstName: 'Bill', lastName: 'Lumbergh', emails: ['Bill@Initech.com'], companyId: 'sco-1' }],
    });
    await h.syncAll();
    const accounts = await soql("SELECT Id, Name, Website FROM Account WHERE CrmSync_Id__c = 'sco-1'");
    expect(accounts).toEqual([expect.objectContaining({ Name: 'Initech', Website: 'initech.com' })]);
    const [c] = await soql(`SELECT AccountId FROM Contact WHERE Id = '${String(contact.body.id)}'`);
    expect(c!.AccountId).toBe(accounts[0]!.Id);
  });

  it('a company is matched to the Account a salesperson made by its Website; a new client stays a Lead with the company name', async () => {
    const made = await salesforce('POST', '/sobjects/Account', { Name: 'Hooli XYZ', Website: 'https://www.hooli.com/' });
    expect(made.status).toBe(201);
    await h.api('POST', '/v1/batch', {
      companies: [{ id: 'sco-2', name: 'Hooli', domain: 'hooli.com' }],
      clients: [{ id: 'scc-2', lastName: 'Belson', emails: ['gavin@hooli.com'], companyId: 'sco-2' }],
    });
    await h.syncAll();
    expect(await soql("SELECT Id, Name FROM Account WHERE Website LIKE '%hooli.com%'")).toEqual([expect.objectContaining({ Id: made.body.id, Name: 'Hooli' })]);
    expect(await soql("SELECT Company FROM Lead WHERE CrmSync_Id__c = 'scc-2'")).toEqual([expect.objectContaining({ Company: 'Hooli' })]);
  });

  it('the same requests again change nothing in Salesforce', async () => {
    const before = (await soql('SELECT Id FROM Account')).length;
    await h.api('POST', '/v1/batch', { companies: [{ id: 'sco-1', name: 'Initech', domain: 'initech.com' }, { id: 'sco-2', name: 'Hooli', domain: 'hooli.com' }] });
    await h.api('POST', `/v1/connections/${h.connectionId}/sync`);
    await h.syncAll();
    expect((await soql('SELECT Id FROM Account')).length).toBe(before);
    expect(await h.logs('operation=create_company')).toHaveLength(1);
  });
});

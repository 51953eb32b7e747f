import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

type Row = Record<string, unknown>;
type Body = Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string; message: string }[] } };
type Destination = Record<string, string>;

// The destination choice (PRODUCT.md S4, C2) through the settings API: what each CRM offers,
// a module it does not offer refused when saved, and `null` clearing one choice.
describe.each(TEST_DIALECTS)('destination settings on %s', (dialect) => {
  let s: TestServer;
  let zoho: string;
  let dynamics: string;
  let hubspot: string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const patch = (id: string, destination: Record<string, unknown>) => api('PATCH', `/v1/connections/${id}`, { settings: { destination } });
  const saved = async (id: string) => ((await api('GET', `/v1/connections/${id}`)).body.settings as { destination: Destination }).destination;
  const records = async (crm: string) => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=${crm}`)).json()) as Record<string, Record<string, Row[]>>)[crm]!;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    zoho = (await approveOAuth(s, 'zoho', { baseUrl: s.sandboxUrl('zoho') })).searchParams.get('connection')!;
    const d = (await s.account('dynamics')).credentials;
    const created = await api('POST', '/v1/connections', {
      crm: 'dynamics',
      auth: { method: 'service', clientId: d.clientId, clientSecret: d.clientSecret, instanceUrl: s.sandboxUrl('dynamics'), tenantId: d.tenantId },
      baseUrl: s.sandboxUrl('dynamics'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    dynamics = created.body.id as string;
    const h = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: (await s.account('hubspot')).credentials.privateAppToken }, baseUrl: s.sandboxUrl('hubspot') });
    hubspot = h.body.id as string;
    // "Chat" is in the sandbox's Lead Source picklist, so Zoho takes the records written below.
    expect((await patch(zoho, { leadSourceValue: 'Chat' })).status).toBe(200);
  }, 60_000);
  afterAll(() => s.close());

  it('Dynamics 365 offers what a new client becomes, contacts by default, with no fields to choose', async () => {
    const res = await api('GET', `/v1/connections/${dynamics}/destinations`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ label: 'New clients become', defaultModule: 'contact', fieldChoices: false, help: expect.stringMatching(/updated as the contact or lead they are/) });
    expect(res.body.modules).toEqual([
      { apiName: 'contact', label: 'Contacts', phoneFields: [], textFields: [], picklistFields: [] },
      { apiName: 'lead', label: 'Leads', phoneFields: [], textFields: [], picklistFields: [] },
    ]);
    const z = await api('GET', `/v1/connections/${zoho}/destinations`);
    expect(z.body).toMatchObject({ label: 'Module', defaultModule: 'Leads', fieldChoices: true });
  });

  const dynamicsPeople = async (email: string) => {
    const crm = await records('dynamics');
    const named = (rows: Row[] | undefined) => (rows ?? []).filter((r) => r.emailaddress1 === email).map((r) => r.lastname);
    return { contacts: named(crm.contact), leads: named(crm.lead) };
  };

  it('Dynamics 365 with nothing chosen: a new client becomes a contact, not a lead (seed 001)', async () => {
    expect((await saved(dynamics)).module).toBeUndefined();
    await api('PUT', '/v1/clients/dest-0', { firstName: 'Ona', lastName: 'Vidal', emails: ['ona@vidal.example'] });
    await s.app.syncWorker.runOnce();
    expect(await dynamicsPeople('ona@vidal.example')).toEqual({ contacts: ['Vidal'], leads: [] });
  });

  it('Dynamics 365: a module it does not offer is refused naming the setting and the values allowed; "lead" is saved and new clients become leads', async () => {
    const refused = await patch(dynamics, { module: 'account' });
    expect(refused.status).toBe(400);
    const message = 'Microsoft Dynamics 365 offers no destination module "account": choose one of "contact", "lead".';
    expect(refused.body.error).toEqual({ code: 'validation_failed', message, details: [{ path: 'settings.destination.module', message }] });
    expect((await saved(dynamics)).module).toBeUndefined();

    expect((await patch(dynamics, { module: 'lead' })).status).toBe(200);
    expect((await saved(dynamics)).module).toBe('lead');
    await api('PUT', '/v1/clients/dest-1', { firstName: 'Eva', lastName: 'Sanz', emails: ['eva@sanz.example'] });
    await s.app.syncWorker.runOnce();
    expect(await dynamicsPeople('eva@sanz.example')).toEqual({ contacts: [], leads: ['Sanz'] });

    expect((await patch(dynamics, { module: 'contact' })).status).toBe(200);
    await api('PUT', '/v1/clients/dest-1b', { firstName: 'Pau', lastName: 'Roig', emails: ['pau@roig.example'] });
    await s.app.syncWorker.runOnce();
    expect(await dynamicsPeople('pau@roig.example')).toEqual({ contacts: ['Roig'], leads: [] });
  });

  it('Zoho CRM: a module without a phone field, or spelt otherwise, is refused with the modules allowed', async () => {
    const allowed = 'choose one of "Leads", "Contacts", "Accounts", "Chat_Sessions".';
    for (const module of ['Contracts', 'leads']) {
      const refused = await patch(zoho, { module, phoneField: 'Phone' });
      expect(refused.status).toBe(400);
      expect(refused.body.error!.details).toEqual([{ path: 'settings.destination.module', message: `Zoho CRM offers no destination module ${JSON.stringify(module)}: ${allowed}` }]);
    }
    expect(await saved(zoho)).toEqual({ leadSourceValue: 'Chat' });
  });

  it('Zoho CRM: while Zoho is down a module is accepted unchecked, and the server log says so', async () => {
    s.sandbox.configure({ errorRate: 1 }, 'zoho');
    try {
      const accepted = await patch(zoho, { module: 'Contracts' });
      expect(accepted.status).toBe(200);
    } finally {
      s.sandbox.configure({ errorRate: 0 }, 'zoho');
    }
    expect((await saved(zoho)).module).toBe('Contracts');
    expect(s.logs.some((l) => l.includes('destination module \\"Contracts\\" saved unchecked'))).toBe(true);
    // Saving it again with Zoho up checks nothing new: the saved module is kept as it is.
    expect((await patch(zoho, { module: 'Contracts', leadSourceValue: 'Chat' })).status).toBe(200);
    expect((await patch(zoho, { module: 'Leads' })).status).toBe(200);
  }, 30_000);

  it('Zoho CRM: null clears one destination field and the sync goes back to the usual field; null for the module clears it and its fields', async () => {
    const chosen = await patch(zoho, { module: 'Contacts', phoneField: 'Mobile', chatLinkField: 'Chat_Link', leadSourceValue: 'Chat' });
    expect(chosen.status).toBe(200);
    const cleared = await patch(zoho, { phoneField: null });
    expect(cleared.status).toBe(200);
    expect(await saved(zoho)).toEqual({ module: 'Contacts', chatLinkField: 'Chat_Link', leadSourceValue: 'Chat' });

    await api('PUT', '/v1/clients/dest-2', { firstName: 'Leo', lastName: 'Gil', phones: ['+34 611 222 333'] });
    // Zoho syncs nothing before "Activate integration"; the settings are locked until deactivated.
    expect((await api('POST', `/v1/connections/${zoho}/activate`)).status).toBe(200);
    await s.app.syncWorker.runOnce();
    const contacts = ((await records('zoho')).Contacts ?? []).filter((c) => c.Last_Name === 'Gil');
    expect(contacts.map((c) => [c.Phone, c.Mobile ?? null])).toEqual([['+34611222333', null]]);
    expect((await api('POST', `/v1/connections/${zoho}/deactivate`)).status).toBe(200);

    // Null for the module goes back to the usual one, clearing the field choices of Contacts.
    expect((await patch(zoho, { module: null })).status).toBe(200);
    expect(await saved(zoho)).toEqual({ leadSourceValue: 'Chat' });
    // With no module chosen, null for it is no change: a field chosen alongside stays.
    expect((await patch(zoho, { module: null, nameField: 'Last_Name' })).status).toBe(200);
    expect(await saved(zoho)).toEqual({ nameField: 'Last_Name', leadSourceValue: 'Chat' });
    // The lead source value has a default, so it cannot be cleared.
    const refused = await patch(zoho, { leadSourceValue: null });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.details![0]!.path).toBe('settings.destination.leadSourceValue');
  });

  it('a CRM without a destination choice refuses a module, and takes the rest of the settings', async () => {
    const refused = await patch(hubspot, { module: 'contacts' });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.details).toEqual([{ path: 'settings.destination.module', message: 'HubSpot has no destination choice: crm-sync writes clients to its standard objects.' }]);
    expect((await patch(hubspot, { leadSourceValue: 'Chat' })).status).toBe(200);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entityId, startDataverse, type DataverseHarness } from './helpers.js';

type Row = Record<string, unknown>;
type ErrorBody = { error: { code: string; message: string } };

describe('Dataverse sandbox: records', () => {
  let h: DataverseHarness;
  beforeAll(async () => {
    h = await startDataverse();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('creates a contact (204 + OData-EntityId), reads it with $select, updates and deletes it', async () => {
    const created = await h.call('contacts', { method: 'POST', body: { firstname: 'Ada', lastname: 'Lovelace', emailaddress1: 'ada@example.com' } });
    expect(created.status).toBe(204);
    const id = entityId(created);
    expect(created.headers.get('odata-entityid')).toBe(`${h.api}/contacts(${id})`);

    const read = await h.call(`contacts(${id})?$select=fullname,emailaddress1`);
    expect(read.status).toBe(200);
    const row = await h.json<Row>(read);
    expect(Object.keys(row)).toEqual(['@odata.context', '@odata.etag', 'fullname', 'emailaddress1', 'contactid']);
    expect(row['@odata.context']).toBe(`${h.api}/$metadata#contacts(fullname,emailaddress1)/$entity`);
    expect(row.fullname).toBe('Ada Lovelace');
    expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);

    const patched = await h.call(`contacts(${id})`, { method: 'PATCH', body: { jobtitle: 'Analyst' }, headers: { 'if-match': '*' } });
    expect(patched.status).toBe(204);
    const after = await h.json<Row>(await h.call(`contacts(${id})?$select=jobtitle`));
    expect(after.jobtitle).toBe('Analyst');
    expect(after['@odata.etag']).not.toBe(row['@odata.etag']);

    expect((await h.call(`contacts(${id})`, { method: 'DELETE' })).status).toBe(204);
    const gone = await h.call(`contacts(${id})`);
    expect(gone.status).toBe(404);
    expect(await h.json<ErrorBody>(gone)).toEqual({ error: { code: '0x80040217', message: `Entity 'contact' With Id = ${id} Does Not Exist` } });
  });

  it('returns the row with Prefer: return=representation (201)', async () => {
    const res = await h.call('accounts?$select=name,revenue', { method: 'POST', body: { name: 'Contoso', revenue: 5000000 }, headers: { prefer: 'return=representation' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('return=representation');
    const body = await h.json<Row>(res);
    expect(body['@odata.context']).toBe(`${h.api}/$metadata#accounts(name,revenue)/$entity`);
    expect(body.name).toBe('Contoso');
    expect(body.revenue).toBe(5000000);
    expect(typeof body.accountid).toBe('string');
  });

  it('binds lookups with @odata.bind and reads them back as _x_value with annotations', async () => {
    const account = entityId(await h.call('accounts', { method: 'POST', body: { name: 'Fabrikam' } }));
    const contact = entityId(await h.call('contacts', { method: 'POST', body: { lastname: 'Ng', 'parentcustomerid_account@odata.bind': `/accounts(${account})` } }));
    const res = await h.call(`contacts(${contact})?$select=_parentcustomerid_value`, { headers: { prefer: 'odata.include-annotations="*"' } });
    const row = await h.json<Row>(res);
    expect(row._parentcustomerid_value).toBe(account);
    expect(row['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Fabrikam');
    expect(row['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    expect(row['_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty']).toBe('parentcustomerid_account');
  });

  it('creates notes, tasks, phone calls and appointments regarding a contact', async () => {
    const contact = entityId(await h.call('contacts', { method: 'POST', body: { lastname: 'Okafor' } }));
    const note = entityId(await h.call('annotations', { method: 'POST', body: { subject: 'Call summary', notetext: 'Wants a demo', 'objectid_contact@odata.bind': `/contacts(${contact})` } }));
    const noteRow = await h.json<Row>(await h.call(`annotations(${note})?$select=subject,objecttypecode,_objectid_value`));
    expect(noteRow).toMatchObject({ subject: 'Call summary', objecttypecode: 'contact', _objectid_value: contact });

    for (const [set, extra] of [['tasks', { percentcomplete: 10 }], ['phonecalls', { phonenumber: '+4915112345678', directioncode: true }], ['appointments', { location: 'Berlin', scheduledstart: '2026-03-01T10:00:00Z', scheduledend: '2026-03-01T11:00:00Z' }]] as const) {
      const activity = set.slice(0, -1);
      const res = await h.call(set, { method: 'POST', body: { subject: `A ${activity}`, ...extra, [`regardingobjectid_contact_${activity}@odata.bind`]: `/contacts(${contact})` } });
      expect(res.status).toBe(204);
      const row = await h.json<Row>(await h.call(`${set}(${entityId(res)})?$select=subject,activitytypecode,_regardingobjectid_value,statecode`));
      expect(row).toMatchObject({ subject: `A ${activity}`, activitytypecode: activity, _regardingobjectid_value: contact, statecode: 0 });
    }
    const filtered = await h.json<{ value: Row[] }>(await h.call(`tasks?$filter=_regardingobjectid_value eq ${contact}&$select=subject`));
    expect(filtered.value.map((r) => r.subject)).toEqual(['A task']);
  });

  it('lists opportunities and system users', async () => {
    await h.call('opportunities', { method: 'POST', body: { name: 'Big deal', estimatedvalue: 12000.5, estimatedclosedate: '2026-06-30' } });
    const opp = await h.json<{ value: Row[] }>(await h.call('opportunities?$select=name,estimatedvalue,estimatedclosedate,statecode,statuscode'));
    expect(opp.value[0]).toMatchObject({ name: 'Big deal', estimatedvalue: 12000.5, estimatedclosedate: '2026-06-30', statecode: 0, statuscode: 1 });
    const users = await h.json<{ value: Row[] }>(await h.call("systemusers?$select=internalemailaddress,fullname&$filter=internalemailaddress eq 'admin@sandbox.crm-sync.test'"));
    expect(users.value).toHaveLength(1);
    expect(users.value[0]).toMatchObject({ fullname: 'Avery Admin', internalemailaddress: 'admin@sandbox.crm-sync.test' });
  });

  it('upserts by alternate key: creates, then updates; If-Match and If-None-Match prevent create and update', async () => {
    const key = "contacts(cs_crmsyncid='sync-1')";
    const noCreate = await h.call(key, { method: 'PATCH', body: { lastname: 'Never' }, headers: { 'if-match': '*' } });
    expect(noCreate.status).toBe(404);
    expect(await h.json<ErrorBody>(noCreate)).toEqual({ error: { code: '0x80040217', message: 'A record with the specified key values does not exist in contact entity' } });

    const created = await h.call(key, { method: 'PATCH', body: { firstname: 'Grace', lastname: 'Hopper' } });
    expect(created.status).toBe(204);
    const id = entityId(created);
    const updated = await h.call(key, { method: 'PATCH', body: { jobtitle: 'Rear Admiral' } });
    expect(entityId(updated)).toBe(id);
    const row = await h.json<Row>(await h.call(`${key}?$select=fullname,jobtitle,cs_crmsyncid`));
    expect(row).toMatchObject({ fullname: 'Grace Hopper', jobtitle: 'Rear Admiral', cs_crmsyncid: 'sync-1', contactid: id });

    const noUpdate = await h.call(key, { method: 'PATCH', body: { jobtitle: 'x' }, headers: { 'if-none-match': '*' } });
    expect(noUpdate.status).toBe(412);
    expect(await h.json<ErrorBody>(noUpdate)).toEqual({ error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
    const leads = await h.call("leads(cs_crmsyncid='lead-1')", { method: 'PATCH', body: { subject: 'Web enquiry', lastname: 'Li' } });
    expect(leads.status).toBe(204);
  });

  it('refuses a duplicate alternate key and a stale etag', async () => {
    await h.call('contacts', { method: 'POST', body: { lastname: 'A', cs_crmsyncid: 'dup' } });
    const dup = await h.call('contacts', { method: 'POST', body: { lastname: 'B', cs_crmsyncid: 'DUP' } });
    expect(dup.status).toBe(412);
    expect((await h.json<ErrorBody>(dup)).error.code).toBe('0x80040237');

    const id = entityId(await h.call('contacts', { method: 'POST', body: { lastname: 'C' } }));
    const stale = await h.call(`contacts(${id})`, { method: 'PATCH', body: { lastname: 'D' }, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect(await h.json<ErrorBody>(stale)).toEqual({ error: { code: '0x80060882', message: "The version of the existing record doesn't match the RowVersion property provided." } });
  });

  it('answers bad payloads with the platform messages', async () => {
    const unknown = await h.call('contacts', { method: 'POST', body: { lastname: 'X', favouritecolour: 'blue' } });
    expect(unknown.status).toBe(400);
    const body = await h.json<ErrorBody>(unknown);
    expect(body.error.code).toBe('0x80048d19');
    expect(body.error.message).toBe(
      "Error identified in Payload provided by the user for Entity :'contacts', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: The property 'favouritecolour' does not exist on type 'Microsoft.Dynamics.CRM.contact'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );

    const tooLong = await h.json<ErrorBody>(await h.call('contacts', { method: 'POST', body: { firstname: 'x'.repeat(51) } }));
    expect(tooLong).toEqual({ error: { code: '0x80044331', message: "A validation error occurred.  The length of the 'firstname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'." } });

    const badChoice = await h.json<ErrorBody>(await h.call('contacts', { method: 'POST', body: { preferredcontactmethodcode: 9 } }));
    expect(badChoice.error.message).toBe("A validation error occurred.  The value 9 of 'preferredcontactmethodcode' on record of type 'contact' is outside the valid range. Accepted Values: 1,2,3,4,5");

    const wrongNav = await h.json<ErrorBody>(await h.call('contacts', { method: 'POST', body: { 'parentcustomerid@odata.bind': '/accounts(00000000-0000-0000-0000-000000000001)' } }));
    expect(wrongNav.error.message).toContain("An undeclared property 'parentcustomerid' which only has property annotations in the payload");

    const missingTarget = await h.call('contacts', { method: 'POST', body: { 'parentcustomerid_account@odata.bind': '/accounts(00000000-0000-0000-0000-000000000001)' } });
    expect(missingTarget.status).toBe(404);
    expect((await h.json<ErrorBody>(missingTarget)).error.message).toBe("Entity 'account' With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist");

    const required = await h.call('systemusers', { method: 'POST', body: { firstname: 'No', lastname: 'Domain' } });
    expect(required.status).toBe(400);
    expect((await h.json<ErrorBody>(required)).error.message).toContain("'domainname' attribute of the 'systemuser' entity is required");

    const notJson = await h.call('contacts', { method: 'POST', body: '{"lastname":' });
    expect(notJson.status).toBe(400);
    expect((await h.json<ErrorBody>(notJson)).error.code).toBe('0x80048d19');
  });

  it('does not enforce business-required (ApplicationRequired) columns, as Dataverse does not', async () => {
    const res = await h.call('contacts', { method: 'POST', body: { firstname: 'OnlyFirst' } });
    expect(res.status).toBe(204);
  });

  it('answers unknown entity sets and WhoAmI', async () => {
    const res = await h.call('contactz');
    expect(res.status).toBe(404);
    expect(await h.json<ErrorBody>(res)).toEqual({ error: { code: '0x8006088a', message: "Resource not found for the segment 'contactz'." } });
    const me = await h.json<Row>(await h.call('WhoAmI()'));
    expect(me.UserId).toBe('c9a7f3b5-2e6d-4c1a-b8f4-0d5e2a7c9b13');
  });

  it('reads and writes a single column', async () => {
    const id = entityId(await h.call('contacts', { method: 'POST', body: { lastname: 'Single' } }));
    expect((await h.call(`contacts(${id})/jobtitle`, { method: 'PUT', body: { value: 'CTO' } })).status).toBe(204);
    expect(await h.json<Row>(await h.call(`contacts(${id})/jobtitle`))).toEqual({ '@odata.context': `${h.api}/$metadata#contacts(${id})/jobtitle`, value: 'CTO' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforce, type SalesforceHarness } from './client.js';

describe('Salesforce sandbox: sObject records', () => {
  let h: SalesforceHarness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  it('creates, reads, updates and deletes a Lead with Salesforce ids and status codes', async () => {
    const created = await h.api('POST', '/sobjects/Lead', { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Engines', Email: 'ada@example.com' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: '00Q8c0000000001EAA', success: true, errors: [] });
    expect(created.headers.get('location')).toBe('/services/data/v60.0/sobjects/Lead/00Q8c0000000001EAA');

    const read = await h.api('GET', '/sobjects/Lead/00Q8c0000000001EAA');
    expect(read.status).toBe(200);
    expect(read.body.attributes).toEqual({ type: 'Lead', url: '/services/data/v60.0/sobjects/Lead/00Q8c0000000001EAA' });
    expect(read.body).toMatchObject({ Id: '00Q8c0000000001EAA', Name: 'Ada Lovelace', Status: 'Open - Not Contacted', IsDeleted: false, OwnerId: h.account.users[0]?.id, CrmSync_Id__c: null });
    expect(read.body.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    // A 15-character id finds the same record.
    const short = await h.api('GET', '/sobjects/Lead/00Q8c0000000001?fields=Name,Email');
    expect(short.body).toEqual({ attributes: read.body.attributes, Name: 'Ada Lovelace', Email: 'ada@example.com' });

    expect((await h.api('PATCH', '/sobjects/Lead/00Q8c0000000001EAA', { Title: 'Countess', Status: 'Working - Contacted' })).status).toBe(204);
    expect((await h.api('GET', '/sobjects/Lead/00Q8c0000000001EAA?fields=Title,Status')).body).toMatchObject({ Title: 'Countess', Status: 'Working - Contacted' });

    expect((await h.api('DELETE', '/sobjects/Lead/00Q8c0000000001EAA')).status).toBe(204);
    expect(await h.api('GET', '/sobjects/Lead/00Q8c0000000001EAA')).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
    expect(await h.api('DELETE', '/sobjects/Lead/00Q8c0000000001EAA')).toMatchObject({ status: 404, body: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] });
  });

  it('answers validation failures with the exact Salesforce error bodies', async () => {
    const cases: [unknown, number, unknown][] = [
      [{ FirstName: 'x' }, 400, [{ message: 'Required fields are missing: [LastName, Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName', 'Company'] }]],
      [{ LastName: 'x' }, 400, [{ message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }]],
      [{ LastName: 'x', Company: 'y', Foo: 1 }, 400, [{ message: "No such column 'Foo' on sobject of type Lead", errorCode: 'INVALID_FIELD' }]],
      [{ LastName: 'x', Company: 'y', Email: 'not-an-email' }, 400, [{ message: 'Email: invalid email address: not-an-email', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }]],
      [{ LastName: 'x', Company: 'y', Status: 'Maybe' }, 400, [{ message: 'Status: bad value for restricted picklist field: Maybe', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] }]],
      [{ LastName: 'x', Company: 'y', Name: 'z' }, 400, [{ message: 'Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] }]],
      [{ LastName: 'x', Company: 'y', NumberOfEmployees: 'many' }, 400, [{ message: 'Cannot deserialize instance of int from VALUE_STRING value many or request may be missing a required field', errorCode: 'JSON_PARSER_ERROR' }]],
      [{ LastName: 'x'.repeat(81), Company: 'y' }, 400, [{ message: `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`, errorCode: 'STRING_TOO_LONG', fields: ['LastName'] }]],
      [{ LastName: 'x', Company: 'y', OwnerId: 'nope' }, 400, [{ message: 'Owner ID: id value of incorrect type: nope', errorCode: 'MALFORMED_ID', fields: ['OwnerId'] }]],
      ['{"LastName": x}', 400, [{ message: "Unexpected character ('x' (code 120)): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at [line:1, column:14]", errorCode: 'JSON_PARSER_ERROR' }]],
    ];
    for (const [body, status, errors] of cases) {
      const res = await h.api('POST', '/sobjects/Lead', body);
      expect([res.status, res.body], JSON.stringify(body)).toEqual([status, errors]);
    }
    expect(await h.api('POST', '/sobjects/Widget__c', {})).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    expect(await h.api('POST', '/sobjects/User', {})).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be inserted: User' }] });
  });

  it('upserts by external id: 201 created, 200 updated, duplicates refused', async () => {
    const first = await h.api('PATCH', '/sobjects/Contact/CrmSync_Id__c/conv-1', { LastName: 'Hopper', Email: 'grace@example.com' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: '0038c0000000001AAA', success: true, errors: [], created: true });
    const second = await h.api('PATCH', '/sobjects/Contact/CrmSync_Id__c/CONV-1', { Title: 'Admiral' });
    expect([second.status, second.body]).toEqual([200, { id: '0038c0000000001AAA', success: true, errors: [], created: false }]);
    const read = await h.api('GET', '/sobjects/Contact/CrmSync_Id__c/conv-1?fields=LastName,Title,CrmSync_Id__c');
    expect(read.body).toMatchObject({ LastName: 'Hopper', Title: 'Admiral', CrmSync_Id__c: 'conv-1' });

    const dup = await h.api('POST', '/sobjects/Contact', { LastName: 'Other', CrmSync_Id__c: 'conv-1' });
    expect(dup.body).toEqual([{ message: 'duplicate value found: CrmSync_Id__c duplicates value on record with id: 0038c0000000001AAA', errorCode: 'DUPLICATE_VALUE', fields: [] }]);
    expect(await h.api('PATCH', '/sobjects/Contact/Email/x', { LastName: 'y' })).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Email' }],
    });
  });

  it('links contacts, opportunities, roles, tasks, events and notes, deriving platform fields', async () => {
    const account = (await h.api('POST', '/sobjects/Account', { Name: 'Acme', Industry: 'Technology' })).body.id as string;
    const contact = (await h.api('POST', '/sobjects/Contact', { LastName: 'Coyote', FirstName: 'Wile', AccountId: account })).body.id as string;
    const opp = await h.api('POST', '/sobjects/Opportunity', { Name: 'Rockets', StageName: 'Prospecting', CloseDate: '2025-06-30', AccountId: account, Amount: 1200 });
    expect(opp.body.id).toMatch(/^006/);
    expect((await h.api('GET', `/sobjects/Opportunity/${opp.body.id}?fields=Probability,ForecastCategoryName,IsClosed`)).body).toMatchObject({ Probability: 10, ForecastCategoryName: 'Pipeline', IsClosed: false });
    await h.api('PATCH', `/sobjects/Opportunity/${opp.body.id}`, { StageName: 'Closed Won' });
    expect((await h.api('GET', `/sobjects/Opportunity/${opp.body.id}?fields=Probability,IsClosed,IsWon`)).body).toMatchObject({ Probability: 100, IsClosed: true, IsWon: true });

    const role = await h.api('POST', '/sobjects/OpportunityContactRole', { OpportunityId: opp.body.id, ContactId: contact, Role: 'Decision Maker', IsPrimary: true });
    expect(role.body.id).toMatch(/^00K/);
    expect((await h.api('POST', '/sobjects/OpportunityContactRole', { OpportunityId: opp.body.id, ContactId: account })).body).toEqual([
      { message: `Contact ID: id value of incorrect type: ${account}`, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['ContactId'] },
    ]);

    const task = await h.api('POST', '/sobjects/Task', { WhoId: contact, WhatId: opp.body.id, Subject: 'Call', TaskSubtype: 'Call', Type: 'Call', Status: 'Completed', CallDurationInSeconds: 95, ActivityDate: '2025-05-01' });
    expect(task.body.id).toMatch(/^00T/);
    expect((await h.api('GET', `/sobjects/Task/${task.body.id}?fields=IsClosed,Priority,TaskSubtype`)).body).toMatchObject({ IsClosed: true, Priority: 'Normal', TaskSubtype: 'Call' });
    expect((await h.api('PATCH', `/sobjects/Task/${task.body.id}`, { TaskSubtype: 'Email' })).body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const event = await h.api('POST', '/sobjects/Event', { WhoId: contact, Subject: 'Demo', StartDateTime: '2025-05-02T09:00:00Z', DurationInMinutes: 45 });
    expect(event.body.id).toMatch(/^00U/);
    expect((await h.api('GET', `/sobjects/Event/${event.body.id}?fields=EndDateTime,ActivityDate`)).body).toMatchObject({ EndDateTime: '2025-05-02T09:45:00.000+0000', ActivityDate: '2025-05-02' });
    expect((await h.api('POST', '/sobjects/Event', { Subject: 'x', StartDateTime: '2025-05-02T09:00:00Z' })).body).toEqual([
      { message: 'Required fields are missing: [DurationInMinutes]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['DurationInMinutes'] },
    ]);

    const note = await h.api('POST', '/sobjects/Note', { ParentId: contact, Title: 'Summary', Body: 'Wants rockets' });
    expect(note.body.id).toMatch(/^002/);
  });

  it('describes sObjects with picklists, custom fields and the external id', async () => {
    const global = await h.api('GET', '/sobjects');
    expect(global.body.maxBatchSize).toBe(200);
    expect(global.body.sobjects.map((s: { name: string }) => s.name)).toEqual(['Account', 'Contact', 'Event', 'Lead', 'Note', 'Opportunity', 'OpportunityContactRole', 'Task', 'User']);
    const lead = (await h.api('GET', '/sobjects/Lead/describe')).body;
    const field = (name: string) => lead.fields.find((f: { name: string }) => f.name === name);
    expect(field('CrmSync_Id__c')).toMatchObject({ externalId: true, custom: true, unique: true, nillable: true, createable: true, updateable: true, type: 'string', length: 255 });
    expect(field('LastName')).toMatchObject({ nillable: false, custom: false, type: 'string', length: 80 });
    expect(field('Status').picklistValues.map((p: { value: string }) => p.value)).toEqual(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']);
    expect(field('Status')).toMatchObject({ restrictedPicklist: true, defaultedOnCreate: true });
    expect(field('Qualification__c')).toMatchObject({ custom: true, type: 'picklist', restrictedPicklist: true });
    expect(field('Name')).toMatchObject({ createable: false, updateable: false });
    const task = (await h.api('GET', '/sobjects/Task/describe')).body;
    expect(task.fields.find((f: { name: string }) => f.name === 'WhoId')).toMatchObject({ referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', polymorphicForeignKey: true });
  });

  it('lists API versions and refuses an unknown one or resource', async () => {
    const versions = await fetch(`${h.base}/services/data`).then((r) => r.json() as Promise<{ version: string; label: string; url: string }[]>);
    expect(versions.find((v) => v.version === '60.0')).toEqual({ label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
    const res = await fetch(`${h.base}/services/data/v99.0/sobjects`, { headers: { authorization: `Bearer ${h.account.credentials.sessionId}` } });
    expect([res.status, await res.json()]).toEqual([404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]]);
    expect(await h.api('PUT', '/sobjects/Lead')).toMatchObject({ status: 405, body: [{ errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'PUT' not allowed. Allowed are GET,POST" }] });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { soql, startSalesforce, type SalesforceHarness } from './client.js';

const ROLLED_BACK = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };

describe('Salesforce sandbox: sObject Collections and Composite', () => {
  let h: SalesforceHarness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  it('creates mixed types with partial success, or rolls everything back with allOrNone', async () => {
    const records = [
      { attributes: { type: 'Account' }, Name: 'Acme' },
      { attributes: { type: 'Contact' }, FirstName: 'No last name' },
      { attributes: { type: 'Lead' }, LastName: 'Lee', Company: 'Lee & Co' },
    ];
    const all = await h.api('POST', '/composite/sobjects', { allOrNone: true, records });
    expect(all.body).toEqual([
      { success: false, errors: [ROLLED_BACK] },
      { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] },
      { success: false, errors: [ROLLED_BACK] },
    ]);
    expect((await h.api('GET', soql('SELECT COUNT() FROM Account'))).body.totalSize).toBe(0);

    const partial = await h.api('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(partial.status).toBe(200);
    expect(partial.body.map((r: { success: boolean; id?: string }) => [r.success, r.id?.slice(0, 3)])).toEqual([
      [true, '001'],
      [false, undefined],
      [true, '00Q'],
    ]);
  });

  it('refuses more than 200 records, and unknown fields for the whole request', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `L${i}`, Company: 'C' }));
    expect(await h.api('POST', '/composite/sobjects', { records })).toMatchObject({
      status: 400,
      body: [{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT', fields: [] }],
    });
    const bad = await h.api('POST', '/composite/sobjects', { records: [{ attributes: { type: 'Lead' }, LastName: 'A', Company: 'B', Nope__c: 1 }] });
    expect([bad.status, bad.body]).toEqual([400, [{ message: "No such column 'Nope__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' }]]);
  });

  it('updates, upserts, retrieves and deletes collections with per-record results', async () => {
    const created = (await h.api('POST', '/composite/sobjects', { records: [{ attributes: { type: 'Contact' }, LastName: 'A' }, { attributes: { type: 'Contact' }, LastName: 'B' }] })).body;
    const [a, b] = created.map((r: { id: string }) => r.id);
    const updated = await h.api('PATCH', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Contact' }, id: a, Title: 'CEO' },
        { attributes: { type: 'Contact' }, id: b, Email: 'nope' },
        { attributes: { type: 'Contact' }, Title: 'no id' },
      ],
    });
    expect(updated.body).toEqual([
      { id: a, success: true, errors: [] },
      { id: b, success: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: nope', fields: ['Email'] }] },
      { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] },
    ]);

    const upserted = await h.api('PATCH', '/composite/sobjects/Contact/CrmSync_Id__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, CrmSync_Id__c: 'x-1', LastName: 'New' },
        { attributes: { type: 'Contact' }, CrmSync_Id__c: 'x-1', Title: 'Again' },
      ],
    });
    expect(upserted.body.map((r: { success: boolean; created: boolean }) => [r.success, r.created])).toEqual([
      [true, true],
      [true, false],
    ]);

    const retrieved = await h.api('GET', `/composite/sobjects/Contact?ids=${a},${b},0038c00000000zzAAA&fields=LastName,Title`);
    expect(retrieved.body).toEqual([
      { attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${a}` }, LastName: 'A', Title: 'CEO' },
      { attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${b}` }, LastName: 'B', Title: null },
      null,
    ]);

    const deleted = await h.api('DELETE', `/composite/sobjects?ids=${a},${a},bogus`);
    expect(deleted.body).toEqual([
      { id: a, success: true, errors: [] },
      { id: a, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
      { id: 'bogus', success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bogus', fields: [] }] },
    ]);
  });

  it('runs composite subrequests with references, and rolls back with allOrNone', async () => {
    const res = await h.api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Refs Inc' } },
        { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'person', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
        { method: 'GET', url: '/services/data/v60.0/sobjects/Contact/@{person.id}?fields=AccountId', referenceId: 'check' },
      ],
    });
    const [acct, person, check] = res.body.compositeResponse;
    expect(acct).toMatchObject({ httpStatusCode: 201, referenceId: 'acct', httpHeaders: { Location: `/services/data/v60.0/sobjects/Account/${acct.body.id}` } });
    expect(person.httpStatusCode).toBe(201);
    expect(check.body.AccountId).toBe(acct.body.id);

    const failing = await h.api('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Kept?' } },
        { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'bad', body: { FirstName: 'No last name' } },
      ],
    });
    expect(failing.body.compositeResponse.map((r: { httpStatusCode: number; body: { errorCode: string }[] }) => [r.httpStatusCode, r.body[0]?.errorCode])).toEqual([
      [400, 'PROCESSING_HALTED'],
      [400, 'REQUIRED_FIELD_MISSING'],
    ]);
    expect((await h.api('GET', soql("SELECT COUNT() FROM Account WHERE Name = 'Kept?'"))).body.totalSize).toBe(0);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { hubspotApi, note, type HubSpotCall } from './api.js';

describe('HubSpot sandbox: associations v4, owners, properties', () => {
  let sb: RunningSandbox;
  let call: HubSpotCall;
  let contact: string;
  let company: string;
  beforeAll(async () => {
    sb = await startSandbox();
    call = hubspotApi(sb);
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    sb.sandbox.reset('hubspot');
    contact = (await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'ada@example.com' } })).body.id;
    company = (await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Analytical Engines' } })).body.id;
  });

  it('creates the default association in both directions', async () => {
    const res = await call('PUT', `/crm/v4/objects/contacts/${contact}/associations/default/companies/${company}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETE');
    expect(res.body.results).toEqual([
      { from: { id: contact }, to: { id: company }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 } },
      { from: { id: company }, to: { id: contact }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 } },
    ]);
    const back = await call('GET', `/crm/v4/objects/companies/${company}/associations/contacts`);
    expect(back.body).toEqual({ results: [{ toObjectId: Number(contact), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] }] });
  });

  it('creates labelled associations from a spec array and shows them in v3 reads', async () => {
    const res = await call('PUT', `/crm/v4/objects/contacts/${contact}/associations/companies/${company}`, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ fromObjectTypeId: '0-1', fromObjectId: Number(contact), toObjectTypeId: '0-2', toObjectId: Number(company), labels: ['Primary'] });
    const v3 = await call('GET', `/crm/v3/objects/contacts/${contact}?associations=companies,deals`);
    expect(v3.body.associations).toEqual({
      companies: { results: [{ id: company, type: 'contact_to_company' }, { id: company, type: 'contact_to_company_unlabeled' }] },
    });
    const bad = await call('PUT', `/crm/v4/objects/contacts/${contact}/associations/companies/${company}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }]);
    expect(bad.status).toBe(400);
    expect((await call('DELETE', `/crm/v4/objects/contacts/${contact}/associations/companies/${company}`)).status).toBe(204);
    expect((await call('GET', `/crm/v4/objects/contacts/${contact}/associations/companies`)).body.results).toEqual([]);
  });

  it('associates a note on create (type 202) and reads it in batch, with 207 for records without links', async () => {
    const created = await call('POST', '/crm/v3/objects/notes', {
      properties: note(),
      associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    });
    expect(created.status).toBe(201);
    const read = await call('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact }, { id: '42' }] });
    expect(read.status).toBe(207);
    expect(read.body.results).toEqual([{ from: { id: contact }, to: [{ toObjectId: Number(created.body.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }] }] }]);
    expect(read.body.errors[0]).toMatchObject({ status: 'error', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: ['42'] } });
    const missing = await call('POST', '/crm/v3/objects/notes', {
      properties: note(),
      associations: [{ to: { id: '999' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    });
    expect(missing.status).toBe(400);
  });

  it('batch-creates deal to contact associations (type 3) and drops links when a record is deleted', async () => {
    const deal = (await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'D' } })).body.id;
    const res = await call('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      inputs: [
        { from: { id: deal }, to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
        { from: { id: deal }, to: { id: '77' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.numErrors).toBe(1);
    expect((await call('GET', `/crm/v4/objects/contacts/${contact}/associations/deals`)).body.results[0].associationTypes[0].typeId).toBe(4);
    await call('DELETE', `/crm/v3/objects/deals/${deal}`);
    expect((await call('GET', `/crm/v4/objects/contacts/${contact}/associations/deals`)).body.results).toEqual([]);
  });

  it('lists owners and filters them by email', async () => {
    const all = await call('GET', '/crm/v3/owners');
    expect(all.body.results.map((o: { email: string }) => o.email)).toEqual(['admin@sandbox.crm-sync.test', 'sales@sandbox.crm-sync.test', 'support@sandbox.crm-sync.test']);
    const one = await call('GET', '/crm/v3/owners?email=SALES@sandbox.crm-sync.test');
    expect(one.body.results).toEqual([
      expect.objectContaining({ id: '71000002', email: 'sales@sandbox.crm-sync.test', firstName: 'Sam', lastName: 'Seller', userId: 61000002, type: 'PERSON', archived: false }),
    ]);
    expect((await call('GET', '/crm/v3/owners/71000001')).body.firstName).toBe('Ada');
  });

  it('describes properties with picklist options, and creates a custom property that records can use', async () => {
    const list = await call('GET', '/crm/v3/properties/contacts');
    const stage = list.body.results.find((p: { name: string }) => p.name === 'lifecyclestage');
    expect(stage.type).toBe('enumeration');
    expect(stage.options.map((o: { value: string }) => o.value)).toEqual(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
    const created = await call('POST', '/crm/v3/properties/contacts', {
      name: 'crm_sync_score',
      label: 'Score',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'contactinformation',
      options: [{ label: 'Hot', value: 'hot', hidden: false }, { label: 'Cold', value: 'cold', hidden: false }],
    });
    expect(created.status).toBe(201);
    expect((await call('GET', '/crm/v3/properties/contacts/crm_sync_score')).body.options).toHaveLength(2);
    expect((await call('PATCH', `/crm/v3/objects/contacts/${contact}`, { properties: { crm_sync_score: 'hot' } })).body.properties.crm_sync_score).toBe('hot');
    expect((await call('PATCH', `/crm/v3/objects/contacts/${contact}`, { properties: { crm_sync_score: 'warm' } })).status).toBe(400);
    const dup = await call('POST', '/crm/v3/properties/contacts', { name: 'crm_sync_score', label: 'S', type: 'string', fieldType: 'text', groupName: 'contactinformation' });
    expect([dup.status, dup.body.category, dup.body.message]).toEqual([409, 'OBJECT_ALREADY_EXISTS', "Property named 'crm_sync_score' already exists."]);
    expect((await call('GET', '/crm/v3/properties/contacts/nope')).status).toBe(404);
  });
});

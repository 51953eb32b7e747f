import { Client } from '@hubspot/api-client';
import { ApiException as ContactsApiException, FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import { AssociationSpecAssociationCategoryEnum as V4Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_APP } from '../../src/sandbox/hubspot/account.js';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';

/** HubSpot's own Node SDK against the sandbox: the wire format must be close enough for it to work unchanged. */
describe('HubSpot sandbox with @hubspot/api-client 13.5.0', () => {
  let sb: RunningSandbox;
  let hubspot: Client;
  beforeAll(async () => {
    sb = await startSandbox();
    sb.sandbox.configure({ searchLagMs: 0, rateLimitFactor: 0 }, 'hubspot');
    hubspot = new Client({ accessToken: PRIVATE_APP.accessToken, basePath: sb.baseUrl('hubspot') });
  });
  afterAll(() => sb.close());

  it('creates, reads, searches and upserts contacts, and links a note through associations v4', async () => {
    const created = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'sdk@example.com', firstname: 'Sdk' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('sdk@example.com');
    expect(created.createdAt).toBeInstanceOf(Date);

    const read = await hubspot.crm.contacts.basicApi.getById(created.id, ['email', 'firstname', 'phone']);
    expect(read.properties).toEqual({ email: 'sdk@example.com', firstname: 'Sdk', phone: null });
    expect(read.archived).toBe(false);

    const found = await hubspot.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'sdk@example.com' }] }],
      properties: ['email'],
      sorts: [],
      limit: 10,
      after: '0',
    });
    expect(found.total).toBe(1);
    expect(found.results[0]?.id).toBe(created.id);

    const upserted = await hubspot.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'sdk@example.com', idProperty: 'email', properties: { lastname: 'Kit' } },
        { id: 'second@example.com', idProperty: 'email', properties: { firstname: 'Second' } },
      ],
    });
    expect(upserted.status).toBe('COMPLETE');
    expect(upserted.results.map((r) => [r.properties.email, r._new])).toEqual([
      ['sdk@example.com', false],
      ['second@example.com', true],
    ]);
    expect(upserted.results[0]?.id).toBe(created.id);

    const noteObj = await hubspot.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: new Date('2025-03-01T10:00:00Z').toISOString(), hs_note_body: 'Discussed renewal' },
      associations: [{ to: { id: created.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 202 }] }],
    });
    const page = await hubspot.crm.associations.v4.basicApi.getPage('contacts', created.id, 'notes');
    expect(page.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId)])).toEqual([[noteObj.id, [201]]]);

    const company = await hubspot.crm.companies.basicApi.create({ properties: { name: 'SDK Co' }, associations: [] });
    const labelled = await hubspot.crm.associations.v4.basicApi.create('contacts', created.id, 'companies', company.id, [
      { associationCategory: V4Category.HubspotDefined, associationTypeId: 1 },
    ]);
    expect(labelled.labels).toEqual(['Primary']);
    const byDefault = await hubspot.crm.associations.v4.basicApi.createDefault('notes', noteObj.id, 'companies', company.id);
    expect(byDefault.results.map((r) => r.associationSpec.associationTypeId)).toEqual([190, 189]);
  });

  it('lists owners, which the SDK asks for at /crm/v3/owners/ (a trailing slash HubSpot answers)', async () => {
    const owners = await hubspot.crm.owners.ownersApi.getPage(undefined, undefined, 100);
    expect(owners.results.length).toBeGreaterThan(0);
    const admin = owners.results[0]!;
    expect(admin.email).toMatch(/@/);
    const byEmail = await hubspot.crm.owners.ownersApi.getPage(admin.email);
    expect(byEmail.results.map((o) => o.id)).toEqual([admin.id]);
    expect((await hubspot.crm.owners.ownersApi.getById(Number(admin.id))).email).toBe(admin.email);
  });

  it('surfaces HubSpot errors as the SDK expects them', async () => {
    await hubspot.crm.contacts.basicApi.create({ properties: { email: 'twice@example.com' }, associations: [] });
    const error = await hubspot.crm.contacts.basicApi.create({ properties: { email: 'twice@example.com' }, associations: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContactsApiException);
    const e = error as ContactsApiException<{ category: string; message: string }>;
    expect(e.code).toBe(409);
    expect(e.body.category).toBe('CONFLICT');
    expect(e.body.message).toMatch(/^Contact already exists\. Existing ID: \d+$/);
  });
});

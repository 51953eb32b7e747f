import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { hubspotApi, note, type HubSpotCall } from './api.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HubSpot sandbox: CRM objects', () => {
  let sb: RunningSandbox;
  let call: HubSpotCall;
  beforeAll(async () => {
    sb = await startSandbox();
    call = hubspotApi(sb);
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('hubspot'));

  it('creates a contact with string properties and the system properties HubSpot adds', async () => {
    const res = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'Ada@Example.com', firstname: 'Ada', lastname: 'Lovelace' } });
    expect(res.status).toBe(201);
    const { id, properties, createdAt, updatedAt, archived } = res.body;
    expect(id).toMatch(/^\d+$/);
    expect(archived).toBe(false);
    expect(createdAt).toMatch(ISO);
    expect(updatedAt).toBe(createdAt);
    expect(properties).toEqual({
      createdate: createdAt,
      lastmodifieddate: createdAt,
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      hs_object_id: id,
      hs_object_source: 'INTEGRATION',
      hs_object_source_id: '3105568',
      hs_object_source_label: 'INTEGRATION',
    });
  });

  it('reads by id and by email, with the default or the requested properties', async () => {
    const { body: created } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'grace@example.com', firstname: 'Grace' } });
    const byId = await call('GET', `/crm/v3/objects/contacts/${created.id}`);
    expect(byId.status).toBe(200);
    expect(Object.keys(byId.body.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    expect(byId.body.properties.lastname).toBeNull();
    const byEmail = await call('GET', '/crm/v3/objects/contacts/GRACE@example.com?idProperty=email&properties=email,phone,nosuchprop');
    expect(byEmail.body).toEqual({ id: created.id, properties: { email: 'grace@example.com', phone: null }, createdAt: created.createdAt, updatedAt: created.updatedAt, archived: false });
  });

  it('answers 404 in HubSpot shape for a missing record', async () => {
    const res = await call('GET', '/crm/v3/objects/contacts/123');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', message: 'resource not found', correlationId: expect.stringMatching(UUID), category: 'OBJECT_NOT_FOUND' });
  });

  it('updates with PATCH (also by email) and archives with DELETE', async () => {
    const { body: c } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'alan@example.com', firstname: 'Alan' } });
    await new Promise((r) => setTimeout(r, 5));
    const patched = await call('PATCH', `/crm/v3/objects/contacts/${c.id}`, { properties: { firstname: 'Alan M.', phone: '+44 20 7946 0000' } });
    expect(patched.status).toBe(200);
    expect(patched.body.properties.firstname).toBe('Alan M.');
    expect(patched.body.properties.lastmodifieddate).not.toBe(c.properties.lastmodifieddate);
    const byEmail = await call('PATCH', '/crm/v3/objects/contacts/alan@example.com?idProperty=email', { properties: { phone: '' } });
    expect(byEmail.body.properties.phone).toBeUndefined();
    expect((await call('DELETE', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(204);
    expect((await call('GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(404);
    const archived = await call('GET', '/crm/v3/objects/contacts?archived=true');
    expect(archived.body.results.map((r: { id: string; archived: boolean }) => [r.id, r.archived])).toEqual([[c.id, true]]);
  });

  it('rejects an unknown property with PROPERTY_DOESNT_EXIST, naming it', async () => {
    const res = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'x@example.com', favourite_food: 'pizza' } });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    expect(res.body.message).toBe(
      'Property values were not valid: [{"isValid":false,"message":"Property \\"favourite_food\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"favourite_food","localizedErrorMessage":"Property \\"favourite_food\\" does not exist","portalId":24681357}]',
    );
    expect(res.body.errors).toEqual([{ message: 'Property "favourite_food" does not exist', code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['favourite_food'] } }]);
    expect((await call('GET', '/crm/v3/objects/contacts')).body.results).toEqual([]);
  });

  it('rejects a bad e-mail, a bad picklist value, a read-only property and a note without hs_timestamp', async () => {
    const email = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'not-an-email' } });
    expect(email.status).toBe(400);
    expect(JSON.parse(email.body.message.replace('Property values were not valid: ', ''))[0]).toMatchObject({ error: 'INVALID_EMAIL', name: 'email', message: 'Email address not-an-email is invalid' });
    const stage = await call('POST', '/crm/v3/objects/contacts', { properties: { lifecyclestage: 'vip' } });
    expect(stage.body.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['lifecyclestage'] } });
    const readOnly = await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Acme', hs_object_id: '5' } });
    expect(readOnly.body.errors[0].code).toBe('READ_ONLY_VALUE');
    const owner = await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'D', hubspot_owner_id: '999' } });
    expect(owner.body.errors[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['hubspot_owner_id'] } });
    const noTimestamp = await call('POST', '/crm/v3/objects/notes', { properties: { hs_note_body: 'hi' } });
    expect(noTimestamp.status).toBe(400);
    expect(noTimestamp.body.errors[0]).toMatchObject({ code: 'REQUIRED_PROPERTY', context: { propertyName: ['hs_timestamp'] } });
  });

  it('answers 409 CONFLICT with the existing id for a duplicate e-mail', async () => {
    const { body: first } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'dup@example.com' } });
    const res = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'DUP@example.com' } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ status: 'error', message: `Contact already exists. Existing ID: ${first.id}`, correlationId: expect.stringMatching(UUID), category: 'CONFLICT' });
  });

  it('turns a malformed JSON body into a VALIDATION_ERROR', async () => {
    const res = await call('POST', '/crm/v3/objects/contacts', '{"properties":');
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    const missing = await call('POST', '/crm/v3/objects/contacts', { props: {} });
    expect(missing.body.message).toBe('Invalid input JSON: properties is required');
  });

  it.each([
    ['companies', { name: 'Acme', domain: 'acme.test' }, 'hs_lastmodifieddate'],
    ['deals', { dealname: 'Renewal', amount: '1200', pipeline: 'default', dealstage: 'qualifiedtobuy' }, 'hs_lastmodifieddate'],
    ['tasks', { hs_timestamp: '1735689600000', hs_task_subject: 'Call back', hs_task_status: 'NOT_STARTED' }, 'hs_lastmodifieddate'],
    ['calls', { hs_timestamp: '2025-01-01T00:00:00Z', hs_call_direction: 'OUTBOUND', hs_call_duration: '60000' }, 'hs_lastmodifieddate'],
    ['meetings', { hs_timestamp: '2025-01-01T00:00:00Z', hs_meeting_title: 'Demo', hs_meeting_outcome: 'SCHEDULED' }, 'hs_lastmodifieddate'],
    ['notes', note(), 'hs_lastmodifieddate'],
  ])('creates, reads, updates and deletes %s', async (type, properties, modified) => {
    const created = await call('POST', `/crm/v3/objects/${type}`, { properties });
    expect(created.status).toBe(201);
    expect(created.body.properties[modified]).toBe(created.body.createdAt);
    if ('hs_timestamp' in properties) expect(created.body.properties.hs_timestamp).toBe(new Date(/^\d+$/.test(properties.hs_timestamp) ? Number(properties.hs_timestamp) : properties.hs_timestamp).toISOString());
    const [key, value] = Object.entries(properties).find(([k]) => k !== 'hs_timestamp') ?? ['', ''];
    const read = await call('GET', `/crm/v3/objects/${type}/${created.body.id}?properties=${key}`);
    expect(read.body.properties).toEqual({ [key]: value });
    const updated = await call('PATCH', `/crm/v3/objects/${type}/${created.body.id}`, { properties: { hubspot_owner_id: '71000002' } });
    expect(updated.body.properties.hubspot_owner_id).toBe('71000002');
    expect((await call('DELETE', `/crm/v3/objects/${type}/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', `/crm/v3/objects/${type}/${created.body.id}`)).status).toBe(404);
  });

  it('accepts object type ids in paths (deals as 0-3)', async () => {
    const res = await call('POST', '/crm/v3/objects/0-3', { properties: { dealname: 'By type id' } });
    expect(res.status).toBe(201);
    expect((await call('GET', `/crm/v3/objects/deals/${res.body.id}?properties=dealname`)).body.properties.dealname).toBe('By type id');
    expect((await call('GET', '/crm/v3/objects/widgets')).body.message).toBe('Unable to infer object type from: widgets');
  });

  it('pages through a list with limit/after to the end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await call('POST', '/crm/v3/objects/companies', { properties: { name: `Co ${i}` } })).body.id);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', `/crm/v3/objects/companies?limit=10&properties=name${after ? `&after=${after}` : ''}`);
      pages++;
      seen.push(...res.body.results.map((r: { id: string }) => r.id));
      after = res.body.paging?.next?.after;
      if (after) expect(res.body.paging.next.link).toBe(`?after=${after}`);
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect((await call('GET', '/crm/v3/objects/companies?limit=101')).status).toBe(400);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { hubspotApi, type HubSpotCall } from './api.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byEmail = (value: string) => ({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value }] }] });

describe('HubSpot sandbox: batch and search', () => {
  let sb: RunningSandbox;
  let call: HubSpotCall;
  beforeAll(async () => {
    sb = await startSandbox();
    call = hubspotApi(sb);
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('hubspot'));

  it('refuses more than 100 inputs', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { name: `Co ${i}` } }));
    const res = await call('POST', '/crm/v3/objects/companies/batch/create', { inputs });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message: 'Too many inputs: 101. The maximum number of inputs per batch is 100.' });
  });

  it('creates in batch with the batch envelope, and fails the whole batch on one bad input', async () => {
    const ok = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'a@example.com' } }, { properties: { email: 'b@example.com' } }] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'COMPLETE', startedAt: expect.any(String), completedAt: expect.any(String) });
    expect(ok.body.results.map((r: { properties: { email: string } }) => r.properties.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(ok.body.errors).toBeUndefined();
    const bad = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'c@example.com' } }, { properties: { email: 'nope' } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.category).toBe('VALIDATION_ERROR');
    expect((await call('GET', '/crm/v3/objects/contacts')).body.results).toHaveLength(2);
  });

  it('answers 207 with per-input errors when every input carries an objectWriteTraceId', async () => {
    const res = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { objectWriteTraceId: 't1', properties: { email: 'ok@example.com' } },
        { objectWriteTraceId: 't2', properties: { missing: '1' } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.numErrors).toBe(1);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].objectWriteTraceId).toBe('t1');
    expect(res.body.errors[0]).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t2'] } });
    expect(res.body.errors[0].message).toContain('PROPERTY_DOESNT_EXIST');
  });

  it('reads, updates and archives in batch, with 207 for missing ids', async () => {
    const { body } = await call('POST', '/crm/v3/objects/deals/batch/create', { inputs: [{ properties: { dealname: 'One' } }, { properties: { dealname: 'Two' } }] });
    const [one, two] = body.results.map((r: { id: string }) => r.id);
    const read = await call('POST', '/crm/v3/objects/deals/batch/read', { inputs: [{ id: one }, { id: '404404' }], properties: ['dealname'], propertiesWithHistory: [] });
    expect(read.status).toBe(207);
    expect(read.body.results).toEqual([expect.objectContaining({ id: one, properties: { dealname: 'One' } })]);
    expect(read.body.errors).toEqual([
      {
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: 'Could not get some DEAL objects, they may be deleted or not exist. Check that ids are valid.',
        context: { ids: ['404404'] },
        errors: [],
        links: {},
      },
    ]);
    const upd = await call('POST', '/crm/v3/objects/deals/batch/update', { inputs: [{ id: two, properties: { amount: '99' } }] });
    expect(upd.status).toBe(200);
    expect(upd.body.results[0].properties.amount).toBe('99');
    expect((await call('POST', '/crm/v3/objects/deals/batch/archive', { inputs: [{ id: one }, { id: two }] })).status).toBe(204);
    expect((await call('GET', '/crm/v3/objects/deals')).body.results).toEqual([]);
  });

  it('upserts contacts by email: updates the existing one, creates the new one', async () => {
    const { body: existing } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'luke@lukesdiner.com', firstname: 'Luke' } });
    const res = await call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'LUKE@lukesdiner.com', idProperty: 'email', properties: { phone: '5555555555' } },
        { id: 'lorelai@thedragonfly.com', idProperty: 'email', properties: { phone: '7777777777' } },
      ],
    });
    expect(res.status).toBe(200);
    const [updated, created] = res.body.results;
    expect(updated).toMatchObject({ id: existing.id, new: false, properties: { email: 'luke@lukesdiner.com', firstname: 'Luke', phone: '5555555555' } });
    expect(created).toMatchObject({ new: true, properties: { email: 'lorelai@thedragonfly.com', phone: '7777777777' } });
    const dup = await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'x@y.com', idProperty: 'email', properties: {} }, { id: 'X@y.com', idProperty: 'email', properties: {} }] });
    expect(dup.status).toBe(400);
  });

  it('searches with filter groups, operators, sorts, properties and paging with total', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0 }, 'hubspot'); // more than 5 searches a second here
    const deals = [
      { dealname: 'Alpha renewal', amount: '100', dealstage: 'qualifiedtobuy', closedate: '2025-01-10' },
      { dealname: 'Beta expansion', amount: '5000', dealstage: 'closedwon', closedate: '2025-02-10' },
      { dealname: 'Gamma renewal', amount: '12000', dealstage: 'closedwon' },
      { dealname: 'Delta', amount: '700', dealstage: 'closedlost', closedate: '2025-03-10' },
    ];
    for (const properties of deals) await call('POST', '/crm/v3/objects/deals', { properties });
    const search = async (body: object) => (await call('POST', '/crm/v3/objects/deals/search', { properties: ['dealname'], ...body })).body;
    const names = (body: { results: { properties: { dealname: string } }[] }) => body.results.map((r) => r.properties.dealname);

    const won = await search({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedwon' }, { propertyName: 'amount', operator: 'GT', value: '6000' }] }] });
    expect([won.total, names(won)]).toEqual([1, ['Gamma renewal']]);
    const either = await search({ filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'LTE', value: '100' }] }, { filters: [{ propertyName: 'dealstage', operator: 'IN', values: ['closedlost'] }] }] });
    expect(names(either)).toEqual(['Alpha renewal', 'Delta']);
    const noClose = await search({ filterGroups: [{ filters: [{ propertyName: 'closedate', operator: 'NOT_HAS_PROPERTY' }] }] });
    expect(names(noClose)).toEqual(['Gamma renewal']);
    const token = await search({ filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: 'renewal' }] }] });
    expect(names(token)).toEqual(['Alpha renewal', 'Gamma renewal']);
    const since = await search({ filterGroups: [{ filters: [{ propertyName: 'closedate', operator: 'GTE', value: String(Date.parse('2025-02-01')) }] }] });
    expect(names(since)).toEqual(['Beta expansion', 'Delta']);
    const sorted = await search({ sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }], limit: 3 });
    expect(sorted.total).toBe(4);
    expect(names(sorted)).toEqual(['Gamma renewal', 'Beta expansion', 'Delta']);
    expect(sorted.paging).toEqual({ next: { after: '3' } });
    const last = await search({ sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }], limit: 3, after: '3' });
    expect([names(last), last.paging]).toEqual([['Alpha renewal'], undefined]);
    const query = await search({ query: 'gam' });
    expect(names(query)).toEqual(['Gamma renewal']);
  });

  it('validates search requests: limit over 200, unknown property', async () => {
    const tooMany = await call('POST', '/crm/v3/objects/contacts/search', { limit: 201 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
    const unknown = await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'shoe_size', operator: 'EQ', value: '9' }] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Property shoe_size does not exist');
  });

  it('does not see a new or changed record until searchLagMs has passed', async () => {
    sb.sandbox.configure({ searchLagMs: 400 }, 'hubspot');
    const { body: c } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'late@example.com', firstname: 'Old' } });
    expect((await call('POST', '/crm/v3/objects/contacts/search', byEmail('late@example.com'))).body.total).toBe(0);
    expect((await call('GET', `/crm/v3/objects/contacts/${c.id}`)).status).toBe(200); // reads are immediate
    await sleep(450);
    expect((await call('POST', '/crm/v3/objects/contacts/search', byEmail('late@example.com'))).body.total).toBe(1);
    await call('PATCH', `/crm/v3/objects/contacts/${c.id}`, { properties: { firstname: 'New' } });
    const stale = await call('POST', '/crm/v3/objects/contacts/search', byEmail('late@example.com'));
    expect(stale.body.results[0].properties.firstname).toBe('Old');
    await sleep(450);
    const fresh = await call('POST', '/crm/v3/objects/contacts/search', byEmail('late@example.com'));
    expect(fresh.body.results[0].properties.firstname).toBe('New');
  });

  it('limits search to 5 requests per second, without the standard rate-limit headers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('POST', '/crm/v3/objects/contacts/search', {})).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const limited = await call('POST', '/crm/v3/objects/contacts/search', {});
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY', category: 'RATE_LIMITS' });
    expect(limited.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });
});

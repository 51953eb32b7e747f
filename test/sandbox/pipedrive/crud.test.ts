import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { customKey, pd, pdError } from './support.js';

describe('Pipedrive sandbox: records through API v1 and v2', () => {
  let sb: RunningSandbox;
  let leadScore: string;
  let source: { key: string; options: { id: number; label: string }[] | null };
  beforeAll(async () => {
    sb = await startSandbox();
    leadScore = (await customKey(sb, 'personFields', 'Lead score')).key;
    source = await customKey(sb, 'personFields', 'Source');
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('pipedrive'));

  it('seeds custom fields with 40-character hash keys and enum options', () => {
    expect(leadScore).toMatch(/^[0-9a-f]{40}$/);
    expect(source.key).toMatch(/^[0-9a-f]{40}$/);
    expect(source.options?.map((o) => o.label)).toEqual(['Website', 'Referral', 'Chat', 'Event']);
  });

  it('answers v1 and v2 paths with a trailing slash as without', async () => {
    expect((await pd(sb, 'POST', '/api/v1/persons/', { name: 'Ann Lee' })).status).toBe(201);
    expect((await pd(sb, 'GET', '/api/v1/persons/1/')).body.data).toMatchObject({ id: 1, name: 'Ann Lee' });
    expect((await pd(sb, 'GET', '/api/v2/persons/')).body.data).toMatchObject([{ id: 1, name: 'Ann Lee' }]);
  });

  it('creates, reads, updates and deletes a person through v1', async () => {
    const referral = source.options![1]!.id;
    const created = await pd(sb, 'POST', '/api/v1/persons', { name: 'Ann Lee', email: 'ann@example.com', phone: [{ value: '+372 5555 1234', label: 'mobile' }], [leadScore]: '42.5', [source.key]: referral });
    expect(created.status).toBe(201);
    const p = created.body.data;
    expect(p).toMatchObject({ id: 1, name: 'Ann Lee', first_name: 'Ann', last_name: 'Lee', primary_email: 'ann@example.com', visible_to: '3', [leadScore]: 42.5, [source.key]: String(referral) });
    expect(p.email).toEqual([{ label: 'work', value: 'ann@example.com', primary: true }]);
    expect(p.phone).toEqual([{ label: 'mobile', value: '+372 5555 1234', primary: true }]);
    expect(p.owner_id).toMatchObject({ id: 1, name: 'Sandbox Admin', value: 1 });

    const updated = await pd(sb, 'PUT', '/api/v1/persons/1', { name: 'Ann Lee-Smith', phone: [] });
    expect(updated.body.data).toMatchObject({ name: 'Ann Lee-Smith', last_name: 'Lee-Smith', phone: [{ value: '', primary: true }], [leadScore]: 42.5 });

    expect((await pd(sb, 'DELETE', '/api/v1/persons/1')).body).toEqual({ success: true, data: { id: 1 } });
    const gone = await pd(sb, 'GET', '/api/v1/persons/1');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(pdError('Person not found'));
  });

  it('serves the same person through v2 with emails, phones and custom_fields', async () => {
    const created = await pd(sb, 'POST', '/api/v2/persons', { name: 'Bob Stone', emails: [{ value: 'bob@example.com', primary: true, label: 'work' }], custom_fields: { [leadScore]: 7 } });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ id: 1, name: 'Bob Stone', owner_id: 1, org_id: null, emails: [{ value: 'bob@example.com', primary: true, label: 'work' }], phones: [], visible_to: 3 });
    expect(created.body.data.custom_fields).toEqual({ [leadScore]: 7, [source.key]: null });
    expect(created.body.data.add_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const patched = await pd(sb, 'PATCH', '/api/v2/persons/1', { custom_fields: { [source.key]: source.options![2]!.id } });
    expect(patched.body.data.custom_fields).toEqual({ [leadScore]: 7, [source.key]: source.options![2]!.id });
    const v1 = await pd(sb, 'GET', '/api/v1/persons/1');
    expect(v1.body.data[source.key]).toBe(String(source.options![2]!.id));
    expect((await pd(sb, 'DELETE', '/api/v2/persons/1')).body).toEqual({ success: true, data: { id: 1 } });
    expect((await pd(sb, 'GET', '/api/v2/persons/1')).status).toBe(404);
  });

  it('answers validation errors in Pipedrive\'s shape, naming the field', async () => {
    const v1 = await pd(sb, 'POST', '/api/v1/persons', { email: 'x@example.com' });
    expect(v1.status).toBe(400);
    expect(v1.body).toEqual(pdError('Name must be given.'));
    const v2 = await pd(sb, 'POST', '/api/v2/persons', {});
    expect(v2.body).toEqual(pdError('Validation failed: name: Required'));
    const unknownField = await pd(sb, 'POST', '/api/v2/persons', { name: 'X', custom_fields: { ['f'.repeat(40)]: 1 } });
    expect(unknownField.body).toEqual(pdError(`Validation failed: custom_fields: Unknown custom field key ${'f'.repeat(40)}`));
    const badOption = await pd(sb, 'POST', '/api/v2/persons', { name: 'X', custom_fields: { [source.key]: 9999 } });
    expect(badOption.status).toBe(400);
    expect(badOption.body.error).toBe(`Validation failed: custom_fields.${source.key}: option 9999 does not exist`);
    const badOrg = await pd(sb, 'POST', '/api/v1/persons', { name: 'X', org_id: 77 });
    expect(badOrg.body).toEqual(pdError('Organization not found'));
    const badJson = await fetch(`${sb.baseUrl('pipedrive')}/api/v1/persons?api_token=${'5f3c9e0d1a2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d'}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { success: boolean }).success).toBe(false);
    expect((await pd(sb, 'GET', '/api/v1/deals/5')).body).toEqual(pdError('Deal not found'));
  });

  it('pages v1 lists with start/limit to the end', async () => {
    for (let i = 1; i <= 5; i++) await pd(sb, 'POST', '/api/v1/persons', { name: `Person ${i}` });
    const seen: number[] = [];
    let start = 0;
    const paginations = [];
    for (;;) {
      const page = await pd(sb, 'GET', `/api/v1/persons?start=${start}&limit=2`);
      seen.push(...page.body.data.map((p: { id: number }) => p.id));
      paginations.push(page.body.additional_data.pagination);
      if (!page.body.additional_data.pagination.more_items_in_collection) break;
      start = page.body.additional_data.pagination.next_start;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(paginations).toEqual([
      { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 },
      { start: 2, limit: 2, more_items_in_collection: true, next_start: 4 },
      { start: 4, limit: 2, more_items_in_collection: false },
    ]);
  });

  it('pages v2 lists with next_cursor to the end', async () => {
    for (let i = 1; i <= 5; i++) await pd(sb, 'POST', '/api/v2/organizations', { name: `Org ${i}` });
    const seen: number[] = [];
    let cursor = '';
    for (let guard = 0; guard < 10; guard++) {
      const page = await pd(sb, 'GET', `/api/v2/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((o: { id: number }) => o.id));
      cursor = page.body.additional_data.next_cursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect((await pd(sb, 'GET', '/api/v2/organizations?cursor=garbage!')).body).toEqual(pdError('Invalid cursor'));
  });

  it('searches persons by e-mail and phone, v1 and v2, and items across types', async () => {
    await pd(sb, 'POST', '/api/v1/organizations', { name: 'Acme OÜ', address: 'Tallinn' });
    await pd(sb, 'POST', '/api/v1/persons', { name: 'Ann Lee', email: ['ann@acme.test'], phone: '+372 5555 1234', org_id: 1 });
    await pd(sb, 'POST', '/api/v1/persons', { name: 'Annika Berg', email: 'annika@other.test' });
    await pd(sb, 'POST', '/api/v1/deals', { title: 'Acme renewal', value: 1200, currency: 'eur', person_id: 1, org_id: 1 });

    const exact = await pd(sb, 'GET', '/api/v1/persons/search?term=ANN@acme.test&fields=email&exact_match=true');
    expect(exact.body).toEqual({
      success: true,
      data: { items: [{ result_score: 1, item: { id: 1, type: 'person', name: 'Ann Lee', phones: ['+372 5555 1234'], emails: ['ann@acme.test'], visible_to: 3, owner: { id: 1 }, organization: { id: 1, name: 'Acme OÜ', address: 'Tallinn' }, custom_fields: [], notes: [] } }] },
      additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } },
    });
    const byPhone = await pd(sb, 'GET', '/api/v2/persons/search?term=37255551234&fields=phone&exact_match=true');
    expect(byPhone.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([1]);
    expect(byPhone.body.additional_data).toEqual({ next_cursor: null });
    const fuzzy = await pd(sb, 'GET', '/api/v1/persons/search?term=ann');
    expect(fuzzy.body.data.items.map((i: { item: { name: string } }) => i.item.name)).toEqual(['Ann Lee', 'Annika Berg']);
    const items = await pd(sb, 'GET', '/api/v1/itemSearch?term=acme');
    expect(items.body.data.items.map((i: { item: { type: string; id: number } }) => `${i.item.type}:${i.item.id}`)).toEqual(['deal:1', 'organization:1', 'person:1']);
    expect((await pd(sb, 'GET', '/api/v1/persons/search?term=a')).status).toBe(400);
  });

  it('hides new records from search for the configured lag', async () => {
    sb.sandbox.configure({ searchLagMs: 60_000 }, 'pipedrive');
    await pd(sb, 'POST', '/api/v2/persons', { name: 'Late Indexed' });
    expect((await pd(sb, 'GET', '/api/v2/persons/search?term=Late')).body.data.items).toEqual([]);
    expect((await pd(sb, 'GET', '/api/v2/persons/1')).body.data.name).toBe('Late Indexed');
  });

  it('creates deals through v1 (user_id) and v2 (owner_id), with status times', async () => {
    const v1 = await pd(sb, 'POST', '/api/v1/deals', { title: 'First', value: '1500', currency: 'usd', user_id: 2, stage_id: 3 });
    expect(v1.status).toBe(201);
    expect(v1.body.data).toMatchObject({ id: 1, title: 'First', value: 1500, currency: 'USD', status: 'open', stage_id: 3, pipeline_id: 1, user_id: { id: 2, name: 'Maria Sales' } });
    const v2 = await pd(sb, 'PATCH', '/api/v2/deals/1', { status: 'won', owner_id: 3 });
    expect(v2.body.data).toMatchObject({ id: 1, status: 'won', owner_id: 3 });
    expect(v2.body.data.won_time).toMatch(/Z$/);
    expect((await pd(sb, 'POST', '/api/v2/deals', { title: 'X', stage_id: 99 })).body).toEqual(pdError('Validation failed: stage_id: Stage with id 99 does not exist'));
    expect((await pd(sb, 'POST', '/api/v1/deals', { value: 5 })).body).toEqual(pdError('Title must be given.'));
  });

  it('attaches notes to persons and deals and lists them by association', async () => {
    await pd(sb, 'POST', '/api/v1/persons', { name: 'Ann Lee' });
    await pd(sb, 'POST', '/api/v1/deals', { title: 'Deal', person_id: 1 });
    const note = await pd(sb, 'POST', '/api/v1/notes', { content: 'Called, interested', person_id: 1, deal_id: 1, pinned_to_person_flag: 1 });
    expect(note.body.data).toMatchObject({ id: 1, content: 'Called, interested', person_id: 1, deal_id: 1, org_id: null, pinned_to_person_flag: true, pinned_to_deal_flag: false, person: { name: 'Ann Lee' }, deal: { title: 'Deal' }, user_id: 1 });
    await pd(sb, 'POST', '/api/v1/notes', { content: 'Other', deal_id: 1 });
    expect((await pd(sb, 'GET', '/api/v1/notes?person_id=1')).body.data.map((n: { id: number }) => n.id)).toEqual([1]);
    expect((await pd(sb, 'GET', '/api/v1/notes?deal_id=1')).body.data.map((n: { id: number }) => n.id)).toEqual([1, 2]);
    expect((await pd(sb, 'GET', '/api/v1/persons/1')).body.data.notes_count).toBe(1);
    expect((await pd(sb, 'POST', '/api/v1/notes', { content: 'Floating' })).body).toEqual(pdError('Note must be attached to a deal, person, organization or lead.'));
    expect((await pd(sb, 'PUT', '/api/v1/notes/1', { content: 'Edited' })).body.data.content).toBe('Edited');
    expect((await pd(sb, 'DELETE', '/api/v1/notes/2')).body).toEqual({ success: true, data: true });
  });

  it('creates activities with times in v1 (HH:MM) and reads them in v2 (HH:MM:SS)', async () => {
    await pd(sb, 'POST', '/api/v1/persons', { name: 'Ann Lee' });
    const a = await pd(sb, 'POST', '/api/v1/activities', { type: 'meeting', due_date: '2025-03-01', due_time: '14:30', duration: '01:00', person_id: 1, note: 'Demo' });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ id: 1, subject: 'Meeting', type: 'meeting', due_date: '2025-03-01', due_time: '14:30', duration: '01:00', person_id: 1, user_id: 1, done: false, note: 'Demo', person_name: 'Ann Lee' });
    const v2 = await pd(sb, 'PATCH', '/api/v2/activities/1', { done: true, owner_id: 2 });
    expect(v2.body.data).toMatchObject({ id: 1, due_time: '14:30:00', duration: '01:00:00', done: true, owner_id: 2, participants: [{ person_id: 1, primary: true }] });
    expect((await pd(sb, 'GET', '/api/v2/activities?done=true')).body.data).toHaveLength(1);
    expect((await pd(sb, 'POST', '/api/v2/activities', { subject: 'x', type: 'séance' })).body).toEqual(pdError('Validation failed: type: Unknown activity type "séance"'));
    expect((await pd(sb, 'GET', '/api/v1/activityTypes')).body.data.map((t: { key_string: string }) => t.key_string)).toEqual(['call', 'meeting', 'task', 'deadline', 'email', 'lunch']);
  });

  it('adds a custom field and accepts values for it', async () => {
    const added = await pd(sb, 'POST', '/api/v1/personFields', { name: 'Channel', field_type: 'set', options: [{ label: 'WhatsApp' }, { label: 'Telegram' }] });
    expect(added.body.data).toMatchObject({ name: 'Channel', field_type: 'set', edit_flag: true });
    expect(added.body.data.key).toMatch(/^[0-9a-f]{40}$/);
    const [wa, tg] = added.body.data.options as { id: number }[];
    const p = await pd(sb, 'POST', '/api/v2/persons', { name: 'Multi', custom_fields: { [added.body.data.key]: [wa!.id, tg!.id] } });
    expect(p.body.data.custom_fields[added.body.data.key]).toEqual([wa!.id, tg!.id]);
    expect((await pd(sb, 'POST', '/api/v1/personFields', { name: 'Bad', field_type: 'enum' })).body).toEqual(pdError('Options must be given for enum and set fields'));
  });

  it('lists users, answers /users/me and finds a user by e-mail', async () => {
    expect((await pd(sb, 'GET', '/api/v1/users')).body.data.map((u: { email: string }) => u.email)).toEqual(['admin@sandbox.crm-sync.test', 'maria.sales@sandbox.crm-sync.test', 'tom.support@sandbox.crm-sync.test']);
    expect((await pd(sb, 'GET', '/api/v1/users/me')).body.data).toMatchObject({ id: 1, email: 'admin@sandbox.crm-sync.test', is_you: true, company_domain: 'sandbox-inc' });
    const found = await pd(sb, 'GET', '/api/v1/users/find?term=maria.sales@sandbox.crm-sync.test&search_by_email=1');
    expect(found.body.data.map((u: { id: number }) => u.id)).toEqual([2]);
  });

  it('serves v1 also at /v1 (api.pipedrive.com/v1, the SDK default)', async () => {
    await pd(sb, 'POST', '/v1/persons', { name: 'Alias' });
    expect((await pd(sb, 'GET', '/api/v1/persons/1')).body.data.name).toBe('Alias');
  });
});

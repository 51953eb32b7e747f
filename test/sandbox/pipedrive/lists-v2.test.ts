import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { pd, pdError } from './support.js';

type Listed = { id: number; name: string; add_time: string; update_time: string };

/** Waits until the clock is in a later whole second than `iso` (v2 times are whole seconds). */
async function pastSecond(iso: string): Promise<void> {
  const next = Date.parse(iso) + 1000;
  while (Date.now() < next + 20) await new Promise((r) => setTimeout(r, 25));
}

describe('Pipedrive sandbox: v2 lists filtered by update time and sorted', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.sandbox.reset('pipedrive'));

  const list = async (path: string) => {
    const res = await pd(sb, 'GET', path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { items: res.body.data as Listed[], next: res.body.additional_data.next_cursor as string | null };
  };
  const ids = async (path: string) => (await list(path)).items.map((p) => p.id);

  it('updated_since keeps persons changed at or after it, updated_until those before; sort_by and sort_direction order them', async () => {
    for (const name of ['One', 'Two', 'Three']) await pd(sb, 'POST', '/api/v2/persons', { name });
    const before = (await pd(sb, 'GET', '/api/v2/persons/3')).body.data.update_time as string;
    await pastSecond(before);
    const changed = (await pd(sb, 'PATCH', '/api/v2/persons/1', { name: 'One again' })).body.data as Listed;
    await pd(sb, 'POST', '/api/v2/persons', { name: 'Four' });
    const since = changed.update_time;
    expect(Date.parse(since)).toBeGreaterThan(Date.parse(before));

    // Equal to the update time counts (later than or equal), as in Pipedrive.
    expect(await ids(`/api/v2/persons?updated_since=${since}`)).toEqual([1, 4]);
    expect(await ids(`/api/v2/persons?updated_until=${since}`)).toEqual([2, 3]);
    expect(await ids(`/api/v2/persons?updated_since=${encodeURIComponent(since.replace('Z', '+00:00'))}`)).toEqual([1, 4]);
    expect(await ids(`/api/v2/persons?updated_since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);

    // Newest change first; equal times fall back on the id in the same direction.
    expect(await ids('/api/v2/persons?sort_by=update_time&sort_direction=desc')).toEqual([4, 1, 3, 2]);
    expect(await ids('/api/v2/persons?sort_by=add_time&sort_direction=desc')).toEqual([4, 3, 2, 1]);
    expect(await ids('/api/v2/persons?sort_by=id&sort_direction=desc')).toEqual([4, 3, 2, 1]);
    expect(await ids('/api/v2/persons?sort_by=update_time')).toEqual([2, 3, 1, 4]);
  });

  it('pages a sorted, filtered list with next_cursor to the end, each record once', async () => {
    for (let i = 1; i <= 5; i++) await pd(sb, 'POST', '/api/v2/organizations', { name: `Org ${i}` });
    await pastSecond((await pd(sb, 'GET', '/api/v2/organizations/5')).body.data.update_time as string);
    await pd(sb, 'PATCH', '/api/v2/organizations/2', { name: 'Org 2 renamed' });
    const seen: number[] = [];
    let cursor: string | null = '';
    for (let guard = 0; guard < 10 && cursor !== null; guard++) {
      const page: { items: Listed[]; next: string | null } = await list(`/api/v2/organizations?sort_by=update_time&sort_direction=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.next;
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(seen[0]).toBe(2);
    const since = (await pd(sb, 'GET', '/api/v2/organizations/1')).body.data.update_time as string;
    expect(await ids(`/api/v2/organizations?updated_since=${since}&limit=500`)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
  });

  it('filters deals and activities the same way', async () => {
    await pd(sb, 'POST', '/api/v2/deals', { title: 'Old deal' });
    await pd(sb, 'POST', '/api/v2/activities', { subject: 'Old call', type: 'call' });
    const before = (await pd(sb, 'GET', '/api/v2/deals/1')).body.data.update_time as string;
    await pastSecond(before);
    const deal = (await pd(sb, 'POST', '/api/v2/deals', { title: 'New deal' })).body.data as Listed;
    await pd(sb, 'POST', '/api/v2/activities', { subject: 'New call', type: 'call' });
    expect(await ids(`/api/v2/deals?updated_since=${deal.update_time}`)).toEqual([2]);
    expect(await ids(`/api/v2/activities?updated_since=${deal.update_time}`)).toEqual([2]);
  });

  it('refuses a time that is not RFC 3339 and an unknown sort, naming the parameter', async () => {
    const bad = await pd(sb, 'GET', '/api/v2/persons?updated_since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(pdError('Validation failed: updated_since: Expected an RFC 3339 date-time, e.g. 2025-01-01T10:20:00Z'));
    expect((await pd(sb, 'GET', '/api/v2/persons?updated_since=2025-01-01')).status).toBe(400);
    expect((await pd(sb, 'GET', '/api/v2/persons?sort_by=name')).body).toEqual(pdError('Validation failed: sort_by: Expected one of id, update_time, add_time'));
    expect((await pd(sb, 'GET', '/api/v2/persons?sort_direction=up')).body).toEqual(pdError('Validation failed: sort_direction: Expected one of asc, desc'));
  });
});

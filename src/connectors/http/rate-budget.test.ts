import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../errors.js';
import { Store } from '../../store/store.js';
import { RateBudget, type RateBudgetOptions } from './rate-budget.js';
import { storedDailyQuota } from '../../connections/daily-quota.js';

const START = Date.UTC(2025, 0, 15, 23, 59, 0);

/** A budget on a fake clock: sleeping moves the clock. */
function budget(store: Store, o: Partial<RateBudgetOptions> = {}) {
  const clock = { now: START, slept: [] as number[] };
  const b = new RateBudget({
    crm: 'hubspot',
    connectionId: `c-${Math.random()}`,
    quota: storedDailyQuota(store.db),
    dailyLimit: null,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.slept.push(ms);
      clock.now += ms;
    },
    ...o,
  });
  return { b, clock };
}

describe('RateBudget', () => {
  let store: Store;
  beforeAll(async () => {
    store = Store.open({ sqliteFile: ':memory:' });
    await store.migrate();
  });
  afterAll(() => store.close());

  it('lets 90% of the window through at once, then waits for the oldest call to leave it', async () => {
    const { b, clock } = budget(store, { window: { limit: 10, windowMs: 1000 } });
    for (let i = 0; i < 9; i++) (await b.take())();
    expect(clock.slept).toEqual([]);
    (await b.take())();
    expect(clock.slept).toEqual([1000]);
  });

  it('uses the vendor defaults (HubSpot 100 per 10 s) and learns a different limit from the headers', async () => {
    const { b, clock } = budget(store);
    for (let i = 0; i < 90; i++) (await b.take())();
    expect(clock.slept).toEqual([]);
    b.observe(new Headers({ 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Remaining': '100', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }));
    for (let i = 0; i < 81; i++) (await b.take())();
    expect(clock.slept).toEqual([]);
    (await b.take())();
    expect(clock.slept).toEqual([10_000]);
  });

  it("keeps HubSpot's searches to their own 5 per second, while other calls go on", async () => {
    const { b, clock } = budget(store);
    const search = 'https://api.hubapi.com/crm/v3/objects/contacts/search';
    for (let i = 0; i < 4; i++) (await b.take(search))();
    expect(clock.slept).toEqual([]);
    for (let i = 0; i < 20; i++) (await b.take('https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert'))();
    expect(clock.slept).toEqual([]);
    (await b.take(search))();
    expect(clock.slept).toEqual([1000]);
  });

  it('slows down until the reset when the CRM says little is left (others spend from the same window)', async () => {
    const { b, clock } = budget(store, { crm: 'pipedrive' });
    (await b.take())();
    b.observe(new Headers({ 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '2' }));
    (await b.take())();
    expect(clock.slept).toEqual([2000]);
  });

  it('waits out a pause set after a 429', async () => {
    const { b, clock } = budget(store);
    b.pauseFor(1500);
    (await b.take())();
    expect(clock.slept).toEqual([1500]);
  });

  it('keeps calls in flight under the concurrency cap (Zoho: 20)', async () => {
    const { b } = budget(store, { crm: 'zoho', concurrency: 2 });
    const first = await b.take();
    const second = await b.take();
    let third = false;
    const waiting = b.take().then((release) => {
      third = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    first();
    first(); // releasing twice frees one slot only
    (await waiting)();
    expect(third).toBe(true);
    second();
  });

  it('stops at the daily limit with a message saying when syncing resumes, and resumes the next UTC day', async () => {
    const { b, clock } = budget(store, { dailyLimit: 3 });
    for (let i = 0; i < 3; i++) (await b.take())();
    const err = await b.take().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).kind).toBe('rate_limited');
    expect((err as CrmError).message).toBe("HubSpot's daily API limit (3 calls) is used up; syncing resumes at 2025-01-16 00:00 UTC");
    expect((err as CrmError).details.retryAfterMs).toBe(60_000);
    clock.now += 60_000;
    (await b.take())();
  });

  it('fails fast when the CRM reports the daily allocation spent, also in tokens', async () => {
    const { b } = budget(store, { crm: 'pipedrive' });
    b.observe(new Headers({ 'x-daily-ratelimit-token-remaining': '0' }));
    await expect(b.take()).rejects.toThrow("Pipedrive's daily API limit (180,000 tokens) is used up; syncing resumes at 2025-01-16 00:00 UTC");
  });
});

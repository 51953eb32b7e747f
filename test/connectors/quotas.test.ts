import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotaUsed, spendQuota } from '../../src/store/quotas.js';
import { Store } from '../../src/store/store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

describe.each(TEST_DIALECTS)('daily CRM quotas (%s)', (dialect) => {
  let t: TestStore;
  let second: Store;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    // A second process's view of the same database.
    second = Store.open(t.location.databaseUrl ? { databaseUrl: t.location.databaseUrl } : { dataDir: t.location.dataDir });
  });
  afterAll(async () => {
    await second.close();
    await t.store.close();
    // pg's pool.end() resolves before the sockets close; dropping the database at once would kill live backends.
    await new Promise((r) => setTimeout(r, 200));
    await t.cleanup();
  });

  it('counts per connection and UTC day, returning the new total', async () => {
    const p = { connectionId: 'conn-a', day: '2025-03-01', limit: 100 };
    expect(await spendQuota(t.store.db, { ...p, calls: 1 })).toBe(1);
    expect(await spendQuota(second.db, { ...p, calls: 5 })).toBe(6);
    expect(await spendQuota(t.store.db, { ...p, day: '2025-03-02', calls: 2 })).toBe(2);
    expect(await spendQuota(t.store.db, { ...p, connectionId: 'conn-b', calls: 3 })).toBe(3);
    expect(await quotaUsed(second.db, 'conn-a', '2025-03-01')).toBe(6);
    expect(await quotaUsed(second.db, 'conn-a', '2025-02-28')).toBe(0);
  });

  it('refuses calls that would pass the limit, and counts nothing for them', async () => {
    const p = { connectionId: 'conn-c', day: '2025-03-01', limit: 3 };
    expect(await spendQuota(t.store.db, { ...p, calls: 2 })).toBe(2);
    expect(await spendQuota(t.store.db, { ...p, calls: 2 })).toBeUndefined();
    expect(await spendQuota(t.store.db, { ...p, calls: 1 })).toBe(3);
    expect(await spendQuota(second.db, { ...p, calls: 1 })).toBeUndefined();
    expect(await spendQuota(t.store.db, { ...p, connectionId: 'conn-d', calls: 4 })).toBeUndefined();
    expect(await quotaUsed(t.store.db, 'conn-c', '2025-03-01')).toBe(3);
  });

  it('hands out exactly the limit under concurrent spending from two processes', async () => {
    const p = { connectionId: 'conn-e', day: '2025-03-01', limit: 50, calls: 1 };
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => spendQuota(i % 2 ? t.store.db : second.db, p)));
    const granted = results.filter((r) => r !== undefined);
    expect(granted).toHaveLength(50);
    expect(new Set(granted).size).toBe(50);
    expect(await quotaUsed(t.store.db, 'conn-e', '2025-03-01')).toBe(50);
  });
});

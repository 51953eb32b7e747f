import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueueChanges } from '../../src/store/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { until } from '../support/until.js';
import { connectionBody, crmRows } from './support-sync.js';

/** How long the worker sleeps without a wake-up (POLL_MS in src/engine/worker.ts). */
const POLL_MS = 1_000;

describe.each(TEST_DIALECTS)('the worker wakes when an outbox row commits, on %s', (dialect) => {
  let s: TestServer;
  const deal = () => crmRows(s.sandbox, 'hubspot', 'deals').find((d) => d.crm_sync_deal_id === 'wake-deal');

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const account = await s.account('hubspot');
    expect((await s.api('POST', '/v1/connections', connectionBody('hubspot', account, s.sandboxUrl('hubspot')))).status).toBe(201);
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a PUT /v1/deals wakes the worker once it commits, and the deal is synced without waiting for the poll', async () => {
    expect((await s.api('PUT', '/v1/clients/wake-c', { firstName: 'Wanda', emails: ['wanda@wake.test'] })).status).toBe(201);
    await until('the contact', async () => crmRows(s.sandbox, 'hubspot', 'contacts').find((c) => c.crm_sync_client_id === 'wake-c'));
    const wake = vi.spyOn(s.app.syncWorker, 'wake');
    try {
      expect((await s.api('PUT', '/v1/deals/wake-deal', { clientId: 'wake-c', title: 'Wake-up call' })).status).toBe(201);
      expect(wake).toHaveBeenCalled();
      const { ms } = await until('the deal', async () => deal());
      expect(ms).toBeLessThan(POLL_MS);
    } finally {
      wake.mockRestore();
    }
  });
});

describe.each(TEST_DIALECTS)('outbox commit listeners on %s', (dialect) => {
  let t: TestStore;
  const change = (entityId: string) => ({ workspaceId: 'w-none', entityType: 'client' as const, entityId, change: 'created' as const, version: 1 });

  beforeAll(async () => {
    t = await openTestStore(dialect);
  });
  afterAll(() => t.cleanup());

  it('hear a transaction that enqueued rows once it commits, and not one that rolled back or enqueued nothing', async () => {
    const heard: number[] = [];
    const stop = t.store.onOutboxCommit(() => heard.push(heard.length));
    let insideHeard = -1;
    await t.store.write(async (tx) => {
      await enqueueChanges(tx, [change('a')]);
      insideHeard = heard.length;
    });
    expect(insideHeard).toBe(0);
    expect(heard).toHaveLength(1);

    await expect(
      t.store.write(async (tx) => {
        await enqueueChanges(tx, [change('b')]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await t.store.write(async (tx) => enqueueChanges(tx, []));
    await t.store.write(async (tx) => tx.selectFrom('outbox').selectAll().execute());
    expect(heard).toHaveLength(1);

    stop();
    await t.store.write(async (tx) => enqueueChanges(tx, [change('c')]));
    expect(heard).toHaveLength(1);
  });
});

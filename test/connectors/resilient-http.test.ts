import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hubspotConnection } from '../../src/connectors/hubspot/connection.js';
import { pickMessage } from '../../src/connectors/http/classify.js';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { RateBudget, type RateBudgetOptions } from '../../src/connectors/http/rate-budget.js';
import { connectionHttp, failureByStatus, type CallCredentials, type ConnectionHttpOptions } from '../../src/connectors/http/resilient.js';
import { pipedriveConnection } from '../../src/connectors/pipedrive/connection.js';
import type { CrmId } from '../../src/domain/crm.js';
import { Store } from '../../src/store/store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { appOf, authorize, refresh, startFor, type ConnectorHarness } from './support.js';
import { storedDailyQuota } from '../../src/connections/daily-quota.js';

/** The shared HTTP layer against the sandbox over real HTTP: what a connector gets as `ctx.http`. */
describe('resilient CRM HTTP against the sandbox', () => {
  let h: ConnectorHarness;
  let t: TestStore;
  let pat: string;
  let hubspotBase: string;
  const base = createCrmHttp();

  beforeAll(async () => {
    h = await startFor('hubspot');
    t = await openTestStore('sqlite');
    pat = String(h.account.credentials.privateAppToken);
    hubspotBase = hubspotConnection.apiBase(h.target);
  });
  afterAll(async () => {
    await h.sb.close();
    await t.cleanup();
  });
  beforeEach(() => {
    h.sb.sandbox.reset('hubspot');
    h.sb.sandbox.reset('pipedrive');
  });

  const budget = (o: Partial<RateBudgetOptions> = {}) => new RateBudget({ crm: 'hubspot', connectionId: `conn-${Math.random()}`, quota: storedDailyQuota(t.store.db), dailyLimit: null, ...o });
  const privateApp = async (): Promise<CallCredentials> => ({ headers: hubspotConnection.authHeaders({ method: 'api_key', apiKey: pat }, h.target), token: pat });
  const hubspot = (o: Partial<ConnectionHttpOptions> = {}): CrmHttp =>
    connectionHttp({ crm: 'hubspot', base, credentials: privateApp, budget: budget(), classify: failureByStatus('hubspot', (b) => pickMessage(b, 'message')), ...o });
  const owners = { url: '', query: { limit: 1 } };
  const counts = (crm: CrmId) => h.sb.sandbox.counts(crm);
  beforeAll(() => {
    owners.url = `${hubspotBase}/crm/v3/owners`;
  });

  it('retries a burst of 5xx and succeeds', async () => {
    h.sb.sandbox.configure({ failNext: 3 }, 'hubspot');
    const res = await hubspot({ random: () => 0.2 })(owners);
    expect(res.status).toBe(200);
    expect(counts('hubspot').byStatus).toEqual({ '503': 3, '200': 1 });
  });

  it('waits out 429s (Retry-After, learned limit) and every call succeeds', async () => {
    // Pipedrive at factor 0.1: 8 calls per 2 s; the budget starts from the documented 80 and learns 8 from the headers.
    h.sb.sandbox.configure({ rateLimitFactor: 0.1 }, 'pipedrive');
    const apiKey = String((await (await fetch(`${h.sb.origin}/sandbox/__control`)).json()).crms.pipedrive.credentials.apiToken);
    const target = { baseUrl: h.sb.baseUrl('pipedrive') };
    const http = connectionHttp({
      crm: 'pipedrive',
      base,
      credentials: async () => ({ headers: pipedriveConnection.authHeaders({ method: 'api_key', apiKey }, target) }),
      budget: new RateBudget({ crm: 'pipedrive', connectionId: 'pd', quota: storedDailyQuota(t.store.db), dailyLimit: null }),
      classify: failureByStatus('pipedrive', (b) => pickMessage(b, 'error')),
    });
    const url = `${pipedriveConnection.apiBase(target)}/api/v1/users/me`;
    const results = await Promise.all(Array.from({ length: 12 }, () => http({ url })));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(counts('pipedrive').byStatus['429']).toBeGreaterThan(0);
    expect(counts('pipedrive').byStatus['200']).toBe(12);
  });

  it('keeps 429s under 1% of 300 calls by staying within the window it learns from the headers', async () => {
    // HubSpot at factor 2: 200 calls per 10 s. 300 calls need a second window, so the test takes about 10 s.
    h.sb.sandbox.configure({ rateLimitFactor: 2 }, 'hubspot');
    const http = hubspot();
    const started = Date.now();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 300) {
          next++;
          statuses.push((await http(owners)).status);
        }
      }),
    );
    const elapsed = Date.now() - started;
    expect(statuses).toHaveLength(300);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const c = counts('hubspot');
    expect((c.byStatus['429'] ?? 0) / c.requests).toBeLessThan(0.01);
    expect(elapsed).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(15_000);
  }, 20_000);

  it('refreshes an expired OAuth token exactly once for many calls refused together', async () => {
    const app = appOf(h.account);
    const granted = await authorize(hubspotConnection, h.target, app);
    let tokens = granted.tokens;
    let refreshes = 0;
    const credentials = async (rejected?: string): Promise<CallCredentials> => {
      if (rejected !== undefined && rejected === tokens.accessToken) {
        refreshes++;
        tokens = (await refresh(hubspotConnection, h.target, app, tokens.refreshToken!)).tokens;
      }
      return { headers: hubspotConnection.authHeaders({ method: 'oauth', ...tokens }, h.target), token: tokens.accessToken };
    };
    const http = hubspot({ credentials });
    expect((await http(owners)).status).toBe(200);
    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=hubspot`, { method: 'POST' });
    const results = await Promise.all(Array.from({ length: 10 }, () => http(owners)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(refreshes).toBe(1);
    expect(counts('hubspot').byStatus['401']).toBe(10);
  });

  it('does not retry a validation error, even on a request safe to repeat', async () => {
    const err = await hubspot()({ method: 'POST', url: `${hubspotBase}/crm/v3/objects/contacts`, body: { properties: { no_such_property: 'x' } }, idempotent: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'invalid', details: { status: 400 } });
    expect((err as Error).message).toContain('no_such_property');
    expect(counts('hubspot').requests).toBe(1);
  });

  it('does not send a timed-out create again: it committed', async () => {
    h.sb.sandbox.configure({ timeoutRate: 1, timeoutDelayMs: 1_000 }, 'hubspot');
    const create = { method: 'POST' as const, url: `${hubspotBase}/crm/v3/objects/contacts`, body: { properties: { email: 'once@example.test' } }, timeoutMs: 300 };
    await expect(hubspot()(create)).rejects.toMatchObject({ kind: 'unavailable' });
    h.sb.sandbox.configure({ timeoutRate: 0 }, 'hubspot');
    await new Promise((r) => setTimeout(r, 800));
    const list = await hubspot()({ url: `${hubspotBase}/crm/v3/objects/contacts`, query: { limit: 10 } });
    expect((list.body as { results: unknown[] }).results).toHaveLength(1);
  });

  describe.each(TEST_DIALECTS)('the daily quota in the database (%s)', (dialect) => {
    let q: TestStore;
    let other: Store;
    beforeAll(async () => {
      q = await openTestStore(dialect);
      // The second worker process, with its own connection to the same database.
      other = Store.open(q.location.databaseUrl ? { databaseUrl: q.location.databaseUrl } : { dataDir: q.location.dataDir });
    });
    afterAll(async () => {
      await other.close();
      await q.store.close();
      await new Promise((r) => setTimeout(r, 200));
      await q.cleanup();
    });

    const twoProcesses = (connectionId: string, dailyLimit: number) =>
      [q.store, other].map((s) => hubspot({ budget: new RateBudget({ crm: 'hubspot', connectionId, quota: storedDailyQuota(s.db), dailyLimit }) }));

    it('is shared by two processes and stops calls at the limit, saying when syncing resumes', async () => {
      const [a, b] = twoProcesses('conn-daily', 5);
      for (let i = 0; i < 3; i++) await a!(owners);
      for (let i = 0; i < 2; i++) await b!(owners);
      for (const http of [a!, b!]) {
        const err = await http(owners).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ kind: 'rate_limited' });
        expect((err as Error).message).toMatch(/^HubSpot's daily API limit \(5 calls\) is used up; syncing resumes at \d{4}-\d\d-\d\d 00:00 UTC$/);
        const retryAfterMs = (err as { details: { retryAfterMs: number } }).details.retryAfterMs;
        expect(retryAfterMs).toBeGreaterThan(0);
        expect(retryAfterMs).toBeLessThanOrEqual(86_400_000);
      }
      expect(counts('hubspot').requests).toBe(5);
    });

    it('hands out exactly the limit to concurrent calls from both processes', async () => {
      const [a, b] = twoProcesses('conn-race', 12);
      const settled = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? a! : b!)(owners)));
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(12);
      expect(counts('hubspot').requests).toBe(12);
    });
  });
});

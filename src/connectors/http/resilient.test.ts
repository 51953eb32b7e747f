import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../errors.js';
import { Store } from '../../store/store.js';
import type { CrmRequest, CrmResponse } from './client.js';
import { RateBudget } from './rate-budget.js';
import { backoffDelay, connectionHttp, failureByStatus, type ConnectionHttpOptions } from './resilient.js';
import { storedDailyQuota } from '../../connections/daily-quota.js';

const answer = (status: number, headers: Record<string, string> = {}): CrmResponse => ({ status, headers: new Headers(headers), body: {} });

/** A CRM that answers from a script and records what it was sent; no network, no clock. */
function scripted(store: Store, script: (CrmResponse | CrmError)[], o: Partial<ConnectionHttpOptions> = {}) {
  const sent: CrmRequest[] = [];
  const slept: number[] = [];
  const http = connectionHttp({
    crm: 'hubspot',
    base: async (req) => {
      sent.push(req);
      const next = script.shift() ?? answer(200);
      if (next instanceof CrmError) throw next;
      return next;
    },
    credentials: async () => ({ headers: { authorization: 'Bearer t1' }, token: 't1' }),
    budget: new RateBudget({ crm: 'hubspot', connectionId: 'c1', quota: storedDailyQuota(store.db), window: null, dailyLimit: null, sleep: async () => {} }),
    classify: failureByStatus('hubspot'),
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    ...o,
  });
  return { http, sent, slept };
}

const timeout = () => new CrmError('unavailable', 'api.hubapi.com did not answer within 30 s');

describe('connectionHttp', () => {
  let store: Store;
  beforeAll(async () => {
    store = Store.open({ sqliteFile: ':memory:' });
    await store.migrate();
  });
  afterAll(() => store.close());

  it('backs off exponentially with full jitter, capped', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, () => 0.999));
    expect(delays).toEqual([249, 499, 999, 1998, 3996]);
    expect(backoffDelay(12, () => 0.999)).toBe(29_970);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(new Set([0.1, 0.4, 0.7].map((r) => backoffDelay(4, () => r))).size).toBe(3);
  });

  it('retries 5xx with growing, jittered delays and returns the final answer', async () => {
    const { http, sent, slept } = scripted(store, [answer(503), answer(500), answer(502), answer(200)]);
    expect((await http({ url: 'https://x.test/a' })).status).toBe(200);
    expect(sent).toHaveLength(4);
    expect(slept).toEqual([125, 250, 500]);
    expect(sent[0]!.headers).toEqual({ authorization: 'Bearer t1' });
  });

  it('gives up after maxAttempts with the CRM error', async () => {
    const { http, sent } = scripted(store, Array.from({ length: 9 }, () => answer(503)), { maxAttempts: 3 });
    await expect(http({ url: 'https://x.test/a' })).rejects.toMatchObject({ kind: 'unavailable', details: { status: 503 } });
    expect(sent).toHaveLength(3);
  });

  it('never retries a validation error', async () => {
    const { http, sent } = scripted(store, [answer(400)]);
    await expect(http({ method: 'PATCH', url: 'https://x.test/a', body: {} })).rejects.toMatchObject({ kind: 'invalid' });
    expect(sent).toHaveLength(1);
  });

  it('does not send a POST again after a timeout or a 500 (it may have committed), unless marked idempotent', async () => {
    for (const outcome of [timeout(), answer(500), answer(504)]) {
      const { http, sent } = scripted(store, [outcome]);
      await expect(http({ method: 'POST', url: 'https://x.test/a', body: {} })).rejects.toBeInstanceOf(CrmError);
      expect(sent).toHaveLength(1);
    }
    const { http, sent } = scripted(store, [timeout(), answer(500)]);
    expect((await http({ method: 'POST', url: 'https://x.test/a', body: {}, idempotent: true })).status).toBe(200);
    expect(sent).toHaveLength(3);
  });

  it('sends a POST again after a 503 or a 429, which refuse before doing anything', async () => {
    const { http, sent } = scripted(store, [answer(503), answer(429, { 'retry-after': '0' })]);
    expect((await http({ method: 'POST', url: 'https://x.test/a', body: {} })).status).toBe(200);
    expect(sent).toHaveLength(3);
  });

  it('honours Retry-After through the budget, and hands a long one to the engine', async () => {
    const waits: number[] = [];
    let now = Date.now();
    const budget = new RateBudget({
      crm: 'hubspot',
      connectionId: 'c2',
      quota: storedDailyQuota(store.db),
      window: null,
      dailyLimit: null,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    const { http } = scripted(store, [answer(429, { 'retry-after': '2' })], { budget });
    expect((await http({ url: 'https://x.test/a' })).status).toBe(200);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBe(2000);
    const long = scripted(store, [answer(429, { 'retry-after': '3600' })]);
    await expect(long.http({ url: 'https://x.test/a' })).rejects.toMatchObject({ kind: 'rate_limited', details: { retryAfterMs: 3_600_000 } });
    expect(long.sent).toHaveLength(1);
  });

  it('asks for fresh credentials once on a 401, naming the rejected token', async () => {
    const asked: (string | undefined)[] = [];
    let minted = 1;
    let token = 't1';
    const credentials = async (rejected?: string) => {
      asked.push(rejected);
      if (rejected === token) token = `t${++minted}`;
      return { headers: { authorization: `Bearer ${token}` }, token };
    };
    const { http, sent } = scripted(store, [answer(401), answer(200)], { credentials });
    expect((await http({ method: 'POST', url: 'https://x.test/a', body: {} })).status).toBe(200);
    expect(asked).toEqual([undefined, 't1']);
    expect(sent.map((r) => r.headers?.authorization)).toEqual(['Bearer t1', 'Bearer t2']);

    // A second 401 with the fresh token, or a key that cannot be refreshed, is the admin's to fix.
    const again = scripted(store, [answer(401), answer(401)], { credentials });
    await expect(again.http({ url: 'https://x.test/a' })).rejects.toMatchObject({ kind: 'auth' });
    expect(again.sent).toHaveLength(2);
    const apiKey = scripted(store, [answer(401)], { credentials: async () => ({ headers: { authorization: 'Bearer pat' }, token: 'pat' }) });
    await expect(apiKey.http({ url: 'https://x.test/a' })).rejects.toMatchObject({ kind: 'auth' });
    expect(apiKey.sent).toHaveLength(1);
  });
});

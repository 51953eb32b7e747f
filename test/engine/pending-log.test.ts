import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { nextUtcMidnight, utcDay } from '../../src/connectors/http/rate-budget.js';
import { spendQuota } from '../../src/store/quotas.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

interface LogItem {
  id: number;
  time: string;
  operation: string;
  status: string;
  clientId: string | null;
  message: string | null;
}

/** The first ISO time a log message names. */
const timeIn = (message: string | null) => Date.parse(/\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(message ?? '')?.[0] ?? 'none');

describe.each(TEST_DIALECTS)('pending entries in the sync log, through the HubSpot sandbox on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const logs = async (query: string) => {
    const res = await s.api('GET', `/v1/sync-logs?connectionId=${connectionId}&${query}`);
    expect(res.status).toBe(200);
    return res.body.items as LogItem[];
  };
  const client = (id: string, lastName: string) => s.api('PUT', `/v1/clients/${id}`, { firstName: 'Ana', lastName, emails: [`${id}@acme.io`] });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const c = await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    connectionId = c.body.id as string;
    await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { updateIntervalMinutes: 30 } });
  }, 60_000);
  afterAll(async () => {
    await s.close();
  });

  it('an update waiting for the interval is pending once, with its due time, and its success follows', async () => {
    await client('c-1', 'Ruiz');
    await s.syncAll();
    const before = Date.now();
    await client('c-1', 'Ruiz García');
    await s.app.syncWorker.runOnce();
    // A second update joins the same wait: no second entry.
    await client('c-1', 'Ruiz Gómez');
    await s.app.syncWorker.runOnce();
    const pending = await logs('clientId=c-1&status=pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ operation: 'wait_interval', clientId: 'c-1' });
    const due = timeIn(pending[0]!.message);
    expect(due).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 30 * 60_000);

    expect((await s.api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await s.syncAll();
    const [latest] = await logs('clientId=c-1');
    expect(latest).toMatchObject({ operation: 'update_contact', status: 'success' });
    expect(latest!.id).toBeGreaterThan(pending[0]!.id);
  });

  it('a burst of 5xx answers is pending with the time it is tried again, then succeeds', async () => {
    // More 503s in a row than one call's attempts: the pass gives up on HubSpot for now.
    s.sandbox.configure({ failNext: 6 }, 'hubspot');
    const before = Date.now();
    await client('c-2', 'Vega');
    await s.app.syncWorker.runOnce();
    const pending = await logs('status=pending');
    const retry = pending.find((l) => l.clientId === 'c-2' || l.operation === 'sync_paused');
    expect(retry, JSON.stringify(pending)).toBeDefined();
    expect(retry!.message).toMatch(/(Tried again at|Syncing pauses until) \d{4}-/);
    expect(timeIn(retry!.message)).toBeGreaterThan(before);

    s.sandbox.configure({ failNext: 0 }, 'hubspot');
    await s.syncAll();
    const [latest] = await logs('clientId=c-2');
    expect(latest).toMatchObject({ operation: 'create_contact', status: 'success' });
  }, 30_000);

  it('a used-up daily quota is pending with the time it resets', async () => {
    const now = Date.now();
    // The whole day's allocation spent, as if by many passes before.
    await spendQuota(s.t.store.db, { connectionId, day: utcDay(now), calls: 10_000_000, limit: 20_000_000 });
    const [last] = await logs('limit=1');
    await client('c-3', 'Soto');
    await s.app.syncWorker.runOnce();
    const fresh = async () => (await logs('status=pending')).filter((l) => l.id > last!.id);
    const [paused] = await fresh();
    expect(paused, 'a pending pause').toMatchObject({ operation: 'sync_paused' });
    const reset = nextUtcMidnight(now);
    expect(paused!.message).toContain(`daily API limit`);
    expect(paused!.message).toContain(`syncing resumes at ${utcDay(reset)} 00:00 UTC`);
    expect(Math.abs(timeIn(paused!.message) - reset)).toBeLessThan(60_000);
    // One entry per pause: the next passes skip the paused connection.
    await s.app.syncWorker.runOnce();
    expect(await fresh()).toHaveLength(1);
  });
});

/** A CRM client on which HubSpot's owners list answers 429 with a long Retry-After while `busy` holds (after the connection's own test). */
function ownersRateLimited(state: { busy: boolean }): CrmHttp {
  const base = createCrmHttp();
  return async (req) => {
    if (state.busy && new URL(req.url).pathname.endsWith('/crm/v3/owners')) {
      return { status: 429, headers: new Headers({ 'content-type': 'application/json', 'retry-after': '120' }), body: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' } };
    }
    return base(req);
  };
}

describe.each(TEST_DIALECTS)('a pending retry in the sync log after a 429 for one record, on %s', (dialect) => {
  it('shows the retry time the CRM asked for, then the success', async () => {
    const state = { busy: false };
    const s = await startTestServer(dialect, { http: ownersRateLimited(state) });
    try {
      const token = (await s.account('hubspot')).credentials.privateAppToken!;
      const c = await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
      expect(c.status).toBe(201);
      state.busy = true;
      const before = Date.now();
      await s.api('PUT', '/v1/clients/c-9', { firstName: 'Eva', emails: ['eva@acme.io'], ownerEmail: 'rep@acme.io' });
      await s.app.syncWorker.runOnce();
      const pending = (await s.api('GET', '/v1/sync-logs?clientId=c-9&status=pending')).body.items as LogItem[];
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ operation: 'retry', status: 'pending' });
      expect(pending[0]!.message).toMatch(/Tried again at/);
      // HubSpot asked for 120 s: the retry is no sooner.
      expect(timeIn(pending[0]!.message)).toBeGreaterThanOrEqual(before + 120_000);
      expect(timeIn(pending[0]!.message)).toBeLessThan(Date.now() + 121_000);

      state.busy = false;
      expect((await s.api('POST', `/v1/connections/${String(c.body.id)}/sync`)).status).toBe(202);
      await s.syncAll();
      const [latest] = (await s.api('GET', '/v1/sync-logs?clientId=c-9')).body.items as LogItem[];
      expect(latest).toMatchObject({ operation: 'create_contact', status: 'success' });
    } finally {
      await s.close();
    }
  }, 30_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmSyncClient } from '../../src/client/index.js';
import { connectionProgress } from '../../src/connections/progress.js';
import { findConnection, updateConnection } from '../../src/store/connections.js';
import { addUser } from '../../src/workspaces/users.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { createKey } from '../../src/workspaces/api-keys.js';
import { signInBrowser, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

interface Progress {
  connectionId: string;
  total: number;
  done: number;
  synced: number;
  skipped: number;
  failed: number;
  pending: number;
  due: number;
  waiting: number;
  retrying: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  paused: { reason: string; until: string | null } | null;
  measuredAt: string;
}

const CLIENTS = 300;

describe.each(TEST_DIALECTS)('backfill progress of a connection on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const progress = async (headers: Record<string, string> = s.auth) => {
    const res = await fetch(`${s.origin}/v1/connections/${connectionId}/progress`, { headers });
    return { status: res.status, body: (await res.json()) as Progress };
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    connectionId = (await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') })).body.id as string;
    // Every HubSpot call takes 300 ms, so that 300 clients (three batches) take a few seconds and can be watched.
    const slowed = await fetch(`${s.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'hubspot', latencyMs: 300 }) });
    expect(slowed.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('before the worker runs: everything pending and due, no rate, no ETA', async () => {
    const clients = Array.from({ length: CLIENTS }, (_, i) => ({ id: `bf-${i}`, firstName: `Client ${i}`, emails: [`client${i}@backfill.io`] }));
    expect((await s.api('POST', '/v1/batch', { clients })).status).toBe(200);
    // The connection reads the outbox into its items when the worker passes; Sync Now does it too.
    expect((await s.api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    const { status, body } = await progress();
    expect(status).toBe(200);
    expect(body).toMatchObject({ connectionId, total: CLIENTS, done: 0, failed: 0, pending: CLIENTS, due: CLIENTS, waiting: 0, ratePerSecond: 0, etaSeconds: null, paused: null });
  });

  it('mid-way: some done, some pending, a rate and an ETA; at the end nothing pending', async () => {
    s.app.syncWorker.start();
    const { value: mid } = await until(
      'progress mid-way',
      async () => {
        const p = (await progress()).body;
        return p.done > 0 && p.pending > 0 ? p : undefined;
      },
      30_000,
    );
    expect(mid.total).toBe(CLIENTS);
    expect(mid.done + mid.failed + mid.pending).toBe(CLIENTS);
    expect(mid.ratePerSecond).toBeGreaterThan(0);
    expect(mid.etaSeconds).toBeGreaterThan(0);
    // Both are rounded for display (the ETA to a tenth of a second).
    expect(mid.etaSeconds).toBeCloseTo(mid.pending / mid.ratePerSecond, 0);

    const { value: end } = await until(
      'the backfill to finish',
      async () => {
        const p = (await progress()).body;
        return p.pending === 0 ? p : undefined;
      },
      60_000,
    );
    expect(end).toMatchObject({ total: CLIENTS, done: CLIENTS, synced: CLIENTS, failed: 0, pending: 0, due: 0, waiting: 0, etaSeconds: null });
    expect(end.ratePerSecond).toBeGreaterThan(0);
  }, 90_000);

  it('counts an update as waiting for the update interval, not due', async () => {
    await s.api('PUT', '/v1/clients/bf-1', { firstName: 'Client one, renamed', emails: ['client1@backfill.io'] });
    const { value } = await until('the update in the items', async () => {
      const p = (await progress()).body;
      return p.pending === 1 ? p : undefined;
    });
    expect(value).toMatchObject({ pending: 1, waiting: 1, due: 0, done: CLIENTS - 1 });
    // The typed client reads the same.
    const client = new CrmSyncClient({ baseUrl: s.origin, apiKey: s.workspace.apiKey });
    expect(await client.connectionProgress(connectionId)).toMatchObject({ connectionId, pending: 1, waiting: 1, due: 0 });
  });

  it('says when syncing is paused', async () => {
    expect((await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { enabled: false } })).status).toBe(200);
    expect((await progress()).body.paused).toMatchObject({ reason: expect.stringMatching(/turned off/), until: null });
    await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { enabled: true } });
    expect((await progress()).body.paused).toBeNull();

    // The worker holds off a connection whose CRM refused everything (its daily limit used up): the reason is the connection's last error.
    const message = "HubSpot's daily API limit (250,000 calls) is used up; syncing resumes at 2026-12-04 00:00 UTC";
    await updateConnection(s.t.store.db, connectionId, { last_error: message, last_error_at: Date.now() });
    const row = (await findConnection(s.t.store.db, s.workspace.workspaceId, connectionId))!;
    const until = Date.now() + 3_600_000;
    expect((await connectionProgress(s.t.store.db, row, until)).paused).toEqual({ reason: message, until: new Date(until).toISOString() });
    expect((await connectionProgress(s.t.store.db, row, Date.now() - 1)).paused).toBeNull();
  });

  it('is readable by any signed-in member and admin keys; not by ingest keys nor other workspaces', async () => {
    const m = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@progress.io', role: 'member' });
    const member = await signInBrowser(s.origin, m.email, m.password);
    expect((await progress({ cookie: member.cookie })).status).toBe(200);

    const ingest = await createKey(s.t.store, s.workspace.workspaceId, 'test', { name: 'feed', scopes: ['ingest'] });
    expect((await progress({ authorization: `Bearer ${ingest.key}` })).status).toBe(403);
    expect((await progress({})).status).toBe(401);

    const other = await createWorkspace(s.t.store, { name: 'Other', defaultCountry: 'ES' });
    expect((await progress({ authorization: `Bearer ${other.apiKey}` })).status).toBe(404);
    expect((await fetch(`${s.origin}/v1/connections/nope/progress`, { headers: s.auth })).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { ServeProcess } from './support-process.js';
import { backlog, CLIENT_RECORDS, connectionBody, crmRows, duplicatesAndMissing, until, type SyncedCrm } from './support-sync.js';

const CLIENTS = 5_000;
const PER_REQUEST = 500;

/** Every tenth client has only a phone: HubSpot cannot upsert it on e-mail, so it is created keyed by our id. */
function backfill(): Record<string, unknown>[] {
  return Array.from({ length: CLIENTS }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const phoneOnly = i % 10 === 9;
    return {
      id: `bf-${n}`,
      firstName: `First${n}`,
      lastName: `Last${n}`,
      company: `Company ${n}`,
      emails: phoneOnly ? [] : [`client${n}@backfill.test`],
      phones: phoneOnly ? [`+34 61${n.padStart(7, '0')}`] : [],
    };
  });
}

describe.each(TEST_DIALECTS)('a worker killed with SIGKILL during a 5,000-client backfill, on %s', (dialect) => {
  // The sandbox lives in the test process so it survives the kill; crm-sync runs as a child.
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
    // The child's connections point at this sandbox, which it does not mount: it must be named.
    process.env.CRM_SYNC_SANDBOX_URL = sandbox.origin;
  });
  afterAll(() => sandbox.close());

  it.each(['hubspot', 'salesforce'] as const)(
    'leaves each client in %s exactly once after the restart',
    async (crm: SyncedCrm) => {
      const t: TestStore = await openTestStore(dialect);
      const proc = await ServeProcess.on(t.location);
      try {
        // 20x the vendor's rate limit keeps the backfill to seconds; the limits still apply and are still learned.
        sandbox.sandbox.configure({ rateLimitFactor: 20 }, crm);
        const { object, clientId } = CLIENT_RECORDS[crm];
        const inCrm = () => crmRows(sandbox.sandbox, crm, object).length;

        const ws = await proc.createWorkspace(`Crash ${crm}`);
        await proc.start();
        const api = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(`${proc.origin}${path}`, {
            method,
            headers: { authorization: `Bearer ${ws.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        const account = sandbox.sandbox.crm(crm).account(sandbox.baseUrl(crm));
        const connected = await api('POST', '/v1/connections', connectionBody(crm, account, sandbox.baseUrl(crm)));
        expect(connected.status, JSON.stringify(connected.body)).toBe(201);
        const connectionId = connected.body.id as string;

        const clients = backfill();
        for (let i = 0; i < clients.length; i += PER_REQUEST) {
          const res = await api('POST', '/v1/batch', { clients: clients.slice(i, i + PER_REQUEST) });
          expect(res.status).toBe(200);
        }

        // Kill while the CRM holds a fifth or more of the clients but not all of them.
        const atKill = await until('a partly synced backfill', () => {
          const n = inCrm();
          return n >= CLIENTS / 5 && n < CLIENTS ? n : undefined;
        }, 30_000, 5);
        await proc.kill();
        expect(atKill).toBeLessThan(CLIENTS);

        await proc.start();
        const restarted = Date.now();
        // Settled: every sync item synced, and the CRM's count no longer moving.
        let last = -1;
        await until(
          'the backfill to settle after the restart',
          async () => {
            const b = await backlog(t.store, connectionId);
            const n = inCrm();
            const settled = b.items === CLIENTS && b.unsynced === 0 && n === last;
            last = n;
            return settled ? true : undefined;
          },
          // The killed worker's lease (30 s) runs out first; on a loaded machine the rest can take as long again.
          75_000,
          250,
        ).catch(async (err: Error) => {
          const b = await backlog(t.store, connectionId);
          const lease = await t.store.db.selectFrom('connections').select(['sync_lease_owner', 'sync_lease_expires_at', 'last_sync_at', 'last_error']).where('id', '=', connectionId).executeTakeFirst();
          const unsynced = await t.store.db.selectFrom('sync_items').select(['entity_id', 'due_at', 'attempts', 'write_started_at']).where('connection_id', '=', connectionId).whereRef('pending_version', '>', 'synced_version').limit(3).execute();
          throw new Error(
            `${err.message} (now ${Date.now()}): ${b.unsynced} of ${b.items} items unsynced (${JSON.stringify(unsynced)}), ${inCrm()} in the CRM, connection ${JSON.stringify(lease)}; the process wrote:\n${proc.log.slice(-3000)}`,
          );
        });

        const rows = crmRows(sandbox.sandbox, crm, object);
        const ids = rows.map((r) => r[clientId]);
        expect(duplicatesAndMissing(ids, clients.map((c) => c.id as string))).toEqual({ duplicates: [], missing: [], unexpected: [] });
        expect(rows).toHaveLength(CLIENTS);
        // Every client the CRM holds has its success entry in the sync log: a log entry commits with its item.
        const logged = await t.store.db.selectFrom('sync_logs').select('entity_id').distinct().where('connection_id', '=', connectionId).where('entity_type', '=', 'client').where('status', '=', 'success').execute();
        const withLog = new Set(logged.map((l) => l.entity_id));
        const unlogged = ids.map(String).filter((id) => !withLog.has(id));
        console.info(`crash ${dialect} ${crm}: ${atKill} in the CRM at the kill; settled ${Date.now() - restarted} ms after the restart with ${rows.length} rows, ${unlogged.length} without a success log entry`);
        expect(unlogged.slice(0, 5)).toEqual([]);
        expect(unlogged).toHaveLength(0);
        expect(proc.log).not.toMatch(/"level":(50|60)/);
      } finally {
        await proc.stop();
        await t.cleanup();
      }
    },
    // About 50 s a case: 30 s of it is the killed worker's lease running out before the new one may take the connection.
    150_000,
  );
});

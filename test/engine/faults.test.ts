import { describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { backlog, CLIENT_RECORDS, connectionBody, crmRows, duplicatesAndMissing, until, type Row, type SyncedCrm } from './support-sync.js';
import { expectedState, faultyWorkload } from './support-workload.js';

/** The connector gives up after this; the sandbox's slow writes answer after TIMEOUT_DELAY_MS, having committed. */
const CLIENT_TIMEOUT_MS = 800;
const TIMEOUT_DELAY_MS = 1_500;

describe.each(TEST_DIALECTS)('sync under injected faults, on %s', (dialect) => {
  it.each(['hubspot', 'salesforce'] as const)(
    'ends with exactly the expected %s records after 5xx, timeouts after commit and rate-limit bursts',
    async (crm: SyncedCrm) => {
      // The CRM client as the app builds it, with a short timeout, counting the calls it gave up on.
      const base = createCrmHttp({ timeoutMs: CLIENT_TIMEOUT_MS });
      let timeouts = 0;
      const http: CrmHttp = (req) =>
        base(req).catch((err: unknown) => {
          if (err instanceof Error && /did not answer within/.test(err.message)) timeouts++;
          throw err;
        });
      const s: TestServer = await startTestServer(dialect, { http });
      try {
        const api = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        const connected = await api('POST', '/v1/connections', connectionBody(crm, await s.account(crm), s.sandboxUrl(crm)));
        expect(connected.status, JSON.stringify(connected.body)).toBe(201);
        const connectionId = connected.body.id as string;

        // Faults from the first sync on: one request in ten fails with a 5xx before touching anything,
        // about one write in seven commits and answers only after the client gave up (the engine
        // batches, so the whole workload is a few dozen calls: a lower share would rarely bite). Between the bursts
        // the limits are 20x the vendor's, to keep the run short (the budget still learns them).
        s.sandbox.configure({ errorRate: 0.1, timeoutRate: 0.15, timeoutDelayMs: TIMEOUT_DELAY_MS, rateLimitFactor: 20, seed: 7 }, crm);
        const work = faultyWorkload();
        const ingested = await api('POST', '/v1/batch', work);
        expect(ingested.status).toBe(200);
        s.app.syncWorker.start();

        const { object } = CLIENT_RECORDS[crm];
        await until('a first part of the clients in the CRM', () => (crmRows(s.sandbox, crm, object).length >= 100 ? true : undefined), 20_000, 20);
        if (crm === 'hubspot') {
          // A 429 burst: a twentieth of HubSpot's ten-second limit, until HubSpot has said 429 at least once.
          s.sandbox.configure({ rateLimitFactor: 0.05 }, crm);
          await until('a 429 from HubSpot', () => ((s.sandbox.counts(crm).byStatus['429'] ?? 0) > 0 ? true : undefined), 20_000, 20);
          s.sandbox.configure({ rateLimitFactor: 20 }, crm);
        } else {
          // Salesforce has no short-window limit (only the daily allocation, which pauses a connection
          // until the next day), so an outage burst stands in: 6 calls in a row fail, more than one
          // call's 5 attempts, so a pass gives up and the connection pauses.
          s.sandbox.configure({ failNext: 6 }, crm);
        }
        // The faults must bite whatever the number of calls (the engine batches, so there are few):
        // every write commits and times out until two have, and three 503s are queued; then the
        // shares above run on for the rest of the workload.
        const serverErrors = () => Object.entries(s.sandbox.counts(crm).byStatus).reduce((n, [code, count]) => n + (Number(code) >= 500 ? count : 0), 0);
        s.sandbox.configure({ timeoutRate: 1, failNext: 3 }, crm);
        await until('2 timeouts after commit', () => (timeouts >= 2 ? true : undefined), 40_000, 20);
        s.sandbox.configure({ timeoutRate: 0.15 }, crm);
        await until('3 server errors', () => (serverErrors() >= 3 ? true : undefined), 40_000, 20);
        s.sandbox.configure({ errorRate: 0, timeoutRate: 0, failNext: 0 }, crm);
        expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);

        const counts = () => JSON.stringify(Object.fromEntries(Object.entries(s.sandbox.crm(crm).dump()).map(([k, v]) => [k, v.length])));
        let last = '';
        await until(
          'every sync item synced and the CRM still',
          async () => {
            const b = await backlog(s.t.store, connectionId);
            const now = counts();
            const settled = b.unsynced === 0 && b.items === work.clients.length + work.conversations.length && now === last;
            last = now;
            return settled ? true : undefined;
          },
          40_000,
          500,
        );

        const stats = s.sandbox.counts(crm).byStatus;
        // The burst did hit (otherwise this test proves less than it says).
        if (crm === 'hubspot') expect(stats['429'] ?? 0).toBeGreaterThan(0);

        const want = expectedState(work);
        if (crm === 'hubspot') assertHubspot(s, want);
        else assertSalesforce(s, want);
      } finally {
        await s.app.syncWorker.stop();
        await s.close();
      }
    },
    150_000,
  );
});

type Expected = ReturnType<typeof expectedState>;

function keysOf(rows: Row[], field: string, kind: string): string[] {
  return rows.map((r) => String(r[field] ?? '')).map((k) => (k.split(':')[1] === kind ? k.split(':')[0]! : `?${k}`));
}

function assertHubspot(s: TestServer, want: Expected): void {
  const contacts = crmRows(s.sandbox, 'hubspot', 'contacts');
  expect(duplicatesAndMissing(contacts.map((c) => c.crm_sync_client_id), [...want.clients.keys()])).toEqual({ duplicates: [], missing: [], unexpected: [] });
  for (const c of contacts) {
    const w = want.clients.get(String(c.crm_sync_client_id))!;
    expect({ firstname: c.firstname, lastname: c.lastname, company: c.company, email: c.email ?? null, phone: c.phone ?? null }).toEqual({
      firstname: w.firstName,
      lastname: w.lastName,
      company: w.company,
      email: w.email ?? null,
      phone: w.phone ?? null,
    });
  }
  const byKey = (object: string, kind: string, conversations: string[]) => {
    const rows = crmRows(s.sandbox, 'hubspot', object);
    expect(duplicatesAndMissing(keysOf(rows, 'crm_sync_key', kind), conversations), `${object} by conversation`).toEqual({ duplicates: [], missing: [], unexpected: [] });
    return rows;
  };
  const notes = byKey('notes', 'note', want.conversations);
  for (const n of notes) expect(String(n.hs_note_body)).toContain(want.summaries.get(String(n.crm_sync_key).split(':')[0]!)!);
  const tasks = byKey('tasks', 'task', want.conversations);
  for (const t of tasks) expect(t.hs_task_subject).toBe(want.commitments.get(String(t.crm_sync_key).split(':')[0]!));
  byKey('calls', 'call', want.calls);
  expect(crmRows(s.sandbox, 'hubspot', 'meetings')).toHaveLength(0);
}

function assertSalesforce(s: TestServer, want: Expected): void {
  const leads = crmRows(s.sandbox, 'salesforce', 'Lead');
  expect(duplicatesAndMissing(leads.map((l) => l.CrmSync_Id__c), [...want.clients.keys()])).toEqual({ duplicates: [], missing: [], unexpected: [] });
  const leadOf = new Map<string, string>();
  for (const l of leads) {
    const w = want.clients.get(String(l.CrmSync_Id__c))!;
    leadOf.set(w.id, String(l.Id));
    expect({ FirstName: l.FirstName, LastName: l.LastName, Company: l.Company, Email: l.Email ?? null, Phone: l.Phone ?? null }).toEqual({
      FirstName: w.firstName,
      LastName: w.lastName,
      Company: w.company,
      Email: w.email ?? null,
      Phone: w.phone ?? null,
    });
  }
  expect(crmRows(s.sandbox, 'salesforce', 'Contact')).toHaveLength(0);
  // Notes, commitments and calls are all Tasks; the [crm-sync:key] marker in the Description says which.
  const tasks = crmRows(s.sandbox, 'salesforce', 'Task');
  const marked = tasks.map((t) => ({ t, key: /\[crm-sync:([^\]]+)\]/.exec(String(t.Description ?? ''))?.[1] ?? '' }));
  const ofKind = (kind: string) => marked.filter((m) => m.key.split(':')[1] === kind);
  for (const [kind, conversations] of [['note', want.conversations], ['task', want.conversations], ['call', want.calls]] as const) {
    expect(duplicatesAndMissing(ofKind(kind).map((m) => m.key.split(':')[0]), conversations), `${kind} Tasks by conversation`).toEqual({ duplicates: [], missing: [], unexpected: [] });
  }
  expect(tasks).toHaveLength(want.conversations.length * 2 + want.calls.length);
  for (const { t, key } of marked) {
    const conversation = key.split(':')[0]!;
    expect(t.WhoId, `${key} is on its client's Lead`).toBe(leadOf.get(want.clientOf.get(conversation)!));
    if (key.split(':')[1] === 'note') expect(String(t.Description)).toContain(want.summaries.get(conversation)!);
    if (key.split(':')[1] === 'task') expect(t.Subject).toBe(want.commitments.get(conversation));
    if (key.split(':')[1] === 'call') expect(t).toMatchObject({ TaskSubtype: 'Call', Type: 'Call' });
  }
  expect(crmRows(s.sandbox, 'salesforce', 'Event')).toHaveLength(0);
}

/** A CRM client whose first call to each of `paths` gets a 502 from "HubSpot" (a bad gateway: the call may or may not have reached it). */
function badGatewayOnce(paths: string[]): CrmHttp {
  const base = createCrmHttp();
  const failed = new Set<string>();
  return async (req) => {
    const hit = paths.find((p) => new URL(req.url).pathname.endsWith(p));
    if (hit && !failed.has(hit)) {
      failed.add(hit);
      return { status: 502, headers: new Headers({ 'content-type': 'application/json' }), body: { status: 'error', message: 'Bad Gateway', category: 'INTERNAL_ERROR' } };
    }
    return base(req);
  };
}

describe.each(TEST_DIALECTS)('one HubSpot 5xx on a POST that reads or upserts, on %s', (dialect) => {
  // HubSpot's batch/read, search and batch/upsert are POSTs that are safe to send twice: a 5xx on
  // one is retried with backoff like a GET, not a pause of the whole connection.
  it.each([
    ['the match by e-mail (contacts batch/read)', '/crm/v3/objects/contacts/batch/read'],
    ['the write (contacts batch/upsert by e-mail)', '/crm/v3/objects/contacts/batch/upsert'],
  ])('is retried, not a pause of the connection: %s', async (_what, path) => {
    const s = await startTestServer(dialect, { http: badGatewayOnce([path]) });
    try {
      const res = await fetch(`${s.origin}/v1/connections`, {
        method: 'POST',
        headers: { ...s.auth, 'content-type': 'application/json' },
        body: JSON.stringify(connectionBody('hubspot', await s.account('hubspot'), s.sandboxUrl('hubspot'))),
      });
      expect(res.status).toBe(201);
      const clients = Array.from({ length: 20 }, (_, i) => ({ id: `r-${i}`, firstName: `R${i}`, emails: [`r${i}@retry.test`] }));
      await fetch(`${s.origin}/v1/batch`, { method: 'POST', headers: { ...s.auth, 'content-type': 'application/json' }, body: JSON.stringify({ clients }) });
      await s.app.syncWorker.runOnce();
      const paused = await s.t.store.db.selectFrom('sync_logs').select('message').where('operation', '=', 'sync_paused').execute();
      expect(paused.map((p) => p.message)).toEqual([]);
      expect(crmRows(s.sandbox, 'hubspot', 'contacts')).toHaveLength(clients.length);
    } finally {
      await s.close();
    }
  });
});

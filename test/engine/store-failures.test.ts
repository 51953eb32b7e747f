import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CrmError } from '../../src/connectors/errors.js';
import { hubspotOutbound } from '../../src/connectors/hubspot/outbound.js';
import { saveLinks } from '../../src/store/links.js';
import type { Store } from '../../src/store/store.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openTestStore, TEST_DIALECTS, type TestDialect } from '../support/stores.js';
import { crmRows } from './support-sync.js';

const CLIENTS = Array.from({ length: 10 }, (_, i) => `c-${String(i + 1).padStart(2, '0')}`);

/**
 * Makes the store refuse one statement, as a full disk, a constraint or a driver would: a
 * trigger that raises when `when` holds for the row `op` writes to `table`.
 */
async function refuse(store: Store, dialect: TestDialect, p: { name: string; table: string; op: 'insert' | 'update'; when: string }): Promise<void> {
  const message = `injected: the store refuses ${p.name}`;
  if (dialect === 'sqlite') {
    await sql.raw(`create trigger ${p.name} before ${p.op} on ${p.table} when ${p.when} begin select raise(abort, '${message}'); end`).execute(store.db);
    return;
  }
  await sql.raw(`create function ${p.name}() returns trigger language plpgsql as $$ begin if ${p.when} then raise exception '${message}'; end if; return new; end $$`).execute(store.db);
  await sql.raw(`create trigger ${p.name} before ${p.op} on ${p.table} for each row execute function ${p.name}()`).execute(store.db);
}

describe.each(TEST_DIALECTS)('a pass where one item cannot be stored, on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;

  beforeEach(async () => {
    s = await startTestServer(dialect);
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const c = await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.id as string;
  }, 60_000);
  afterEach(async () => {
    vi.restoreAllMocks();
    await s.close();
  });

  const ingestClients = async () => {
    const res = await s.api('POST', '/v1/batch', { clients: CLIENTS.map((id) => ({ id, firstName: `F${id}`, emails: [`${id}@store.test`] })) });
    expect(res.status).toBe(200);
  };
  const item = (id: string) => s.t.store.db.selectFrom('sync_items').selectAll().where('connection_id', '=', connectionId).where('entity_id', '=', id).executeTakeFirstOrThrow();
  const logsOf = async (status: 'success' | 'failed') => {
    const rows = await s.t.store.db.selectFrom('sync_logs').select(['entity_id', 'message']).where('connection_id', '=', connectionId).where('status', '=', status).execute();
    return rows;
  };
  const passFailures = () => s.logs.filter((l) => /sync pass failed/.test(l));

  it('stores a retry time with a fraction as a whole millisecond, and the pass goes on', async () => {
    // The backoff's jitter makes 1,000 * (0.5 + 0.123 / 2) = 561.5 ms.
    vi.spyOn(Math, 'random').mockReturnValue(0.123);
    const upsert = hubspotOutbound.upsertContacts;
    vi.spyOn(hubspotOutbound, 'upsertContacts').mockImplementation(async (ctx, records) => {
      const outcomes = await upsert(ctx, records);
      return outcomes.map((o, i) => (records[i]!.contact.clientId === 'c-03' ? { ok: false, error: new CrmError('unavailable', 'HubSpot did not answer for this record') } : o));
    });
    await ingestClients();
    const before = Date.now();
    await s.app.syncWorker.runOnce();

    expect(passFailures()).toEqual([]);
    const deferred = await item('c-03');
    expect(deferred).toMatchObject({ state: 'pending', attempts: 1, last_error: 'HubSpot did not answer for this record' });
    expect(Number.isInteger(deferred.due_at)).toBe(true);
    expect(deferred.due_at - before).toBeGreaterThanOrEqual(561);
    const logged = (await logsOf('success')).map((l) => l.entity_id).sort();
    expect(logged).toEqual(CLIENTS.filter((id) => id !== 'c-03'));
  });

  it('fails only the item whose settling the store refuses, logs why, and syncs the rest', async () => {
    await refuse(s.t.store, dialect, { name: 'refuse_c05', table: 'sync_items', op: 'update', when: "new.entity_id = 'c-05' and new.state = 'synced'" });
    await ingestClients();
    await s.app.syncWorker.runOnce();

    expect(passFailures()).toEqual([]);
    expect(crmRows(s.sandbox, 'hubspot', 'contacts')).toHaveLength(CLIENTS.length);
    expect((await logsOf('success')).map((l) => l.entity_id).sort()).toEqual(CLIENTS.filter((id) => id !== 'c-05'));
    const refused = await item('c-05');
    expect(refused).toMatchObject({ state: 'pending', synced_version: 0, attempts: 1 });
    expect(refused.last_error).toMatch(/could not save .*injected: the store refuses refuse_c05/);
    // The next attempt knows the CRM may hold the record already.
    expect(refused.write_started_at).not.toBeNull();
    const failed = await logsOf('failed');
    expect(failed.map((l) => l.entity_id)).toEqual(['c-05']);
    expect(failed[0]!.message).toMatch(/injected: the store refuses refuse_c05/);
    for (const id of CLIENTS.filter((c) => c !== 'c-05')) expect(await item(id)).toMatchObject({ state: 'synced', synced_version: 1 });
  });

  it('commits a log entry with its item: when the log cannot be written, the item is not settled either', async () => {
    await refuse(s.t.store, dialect, { name: 'refuse_c07_log', table: 'sync_logs', op: 'insert', when: "new.entity_id = 'c-07' and new.status = 'success'" });
    await ingestClients();
    await s.app.syncWorker.runOnce();

    expect(passFailures()).toEqual([]);
    expect((await logsOf('success')).map((l) => l.entity_id).sort()).toEqual(CLIENTS.filter((id) => id !== 'c-07'));
    expect(await item('c-07')).toMatchObject({ state: 'pending', synced_version: 0 });
    for (const id of CLIENTS.filter((c) => c !== 'c-07')) expect(await item(id)).toMatchObject({ state: 'synced' });
  });

  it('writes a conversation whose two commitments are the same task once', async () => {
    await s.api('PUT', '/v1/clients/c-01', { firstName: 'Ana', emails: ['ana@store.test'] });
    const commitment = { text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z' };
    await s.api('PUT', '/v1/conversations/cv-1', { clientIds: ['c-01'], channel: 'whatsapp', summary: 'Ana wants 50 seats.', keyNotes: [], commitments: [commitment, commitment] });
    await s.app.syncWorker.runOnce();

    expect(passFailures()).toEqual([]);
    expect(await item('cv-1')).toMatchObject({ state: 'synced' });
    expect(crmRows(s.sandbox, 'hubspot', 'tasks')).toHaveLength(1);
    expect((await logsOf('success')).map((l) => l.entity_id).sort()).toEqual(['c-01', 'cv-1', 'cv-1']);
  });
});

describe.each(TEST_DIALECTS)('saving CRM links, on %s', (dialect) => {
  it('takes the same link twice in one call (the last one wins)', async () => {
    const t = await openTestStore(dialect);
    try {
      const ws = 'ws-1';
      const link = { entityType: 'activity', entityId: 'cv-1:task:abc', crmObject: 'tasks' };
      await saveLinks(t.store.db, ws, 'conn-1', [{ ...link, crmId: '1' }, { ...link, crmId: '2' }], 1_000);
      const rows = await t.store.db.selectFrom('crm_links').select('crm_id').where('entity_id', '=', link.entityId).execute();
      expect(rows).toEqual([{ crm_id: '2' }]);
    } finally {
      await t.cleanup();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConnectionSettings } from '../../src/domain/connection-settings.js';
import { fanOut } from '../../src/engine/fanout.js';
import { findConnectionById, insertConnection } from '../../src/store/connections.js';
import { writeJson } from '../../src/store/store.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

const WRITERS = 10;
const ROUNDS = 20;

/** A different body per writer and round, so every write is a change. */
const KINDS = {
  clients: (n: number) => ({ method: 'PUT' as const, body: { firstName: `Ana ${n}`, emails: [`ana${n}@acme.io`], phones: [`+34 600 ${String(100000 + n)}`] } }),
  companies: (n: number) => ({ method: 'PUT' as const, body: { name: `Acme ${n}`, domain: `acme${n}.io` } }),
  conversations: (n: number) => ({
    method: 'PUT' as const,
    body: { channel: 'whatsapp', title: `Chat ${n}`, messages: [{ id: `m${n}`, direction: 'inbound', text: `hello ${n}`, sentAt: '2026-01-01T10:00:00Z' }] },
  }),
  deals: (n: number) => ({ method: 'PUT' as const, body: { clientId: 'c1', title: `Deal ${n}` } }),
} as const;

const ENTITY = { clients: 'client', companies: 'company', conversations: 'conversation', deals: 'deal' } as const;

/**
 * Writers of one id that run at the same time (PostgreSQL runs them truly in parallel; SQLite
 * serialises them) all get an answer, one of them `created`, with versions 1..N in commit order.
 */
describe.each(TEST_DIALECTS)('concurrent writes of one id on %s', (dialect) => {
  let t: TestStore;
  let a: TestApp;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    a = await buildTestApp(t.store);
    const now = Date.now();
    await t.store.write((tx) =>
      insertConnection(tx, {
        id: 'conn-race',
        workspace_id: a.workspace.workspaceId,
        crm: 'hubspot',
        status: 'connected',
        auth_method: 'api_key',
        target: writeJson({}),
        settings: writeJson(defaultConnectionSettings()),
        account_label: null,
        credentials: null,
        token_expires_at: null,
        last_error: null,
        last_error_at: null,
        last_checked_at: null,
        connected_by: 'test',
        refresh_lease_owner: null,
        refresh_lease_expires_at: null,
        outbox_cursor: 0,
        sync_lease_owner: null,
        sync_lease_expires_at: null,
        last_sync_at: null,
        created_at: now,
        updated_at: now,
      }),
    );
  });
  afterAll(async () => {
    await a.app.close();
    await t.cleanup();
  });

  it.each(Object.keys(KINDS) as (keyof typeof KINDS)[])('%s: %i writers x rounds give no 5xx, one created, versions 1..N, outbox versions unique', async (kind) => {
    const failures: string[] = [];
    const figures = { fiveXX: 0, createdBeyondOne: 0, duplicateOutboxVersions: 0 };
    const answers: { status: number; result?: string; version?: number; n: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const id = `race-${round}`;
      const replies = await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const n = round * WRITERS + w;
          const { method, body } = KINDS[kind](n);
          const res = await a.app.inject({ method, url: `/v1/${kind}/${id}`, headers: a.auth, payload: body });
          return { res, n };
        }),
      );
      const mine = replies.map(({ res, n }) => {
        const json = res.json();
        const view = json[ENTITY[kind]] ?? json.deal ?? {};
        return { status: res.statusCode, result: json.result as string | undefined, version: (json.version ?? view.version) as number | undefined, n };
      });
      answers.push(...mine);
      const fives = mine.filter((m) => m.status >= 500);
      figures.fiveXX += fives.length;
      if (fives.length) failures.push(`${id}: ${fives.length} answers of 5xx`);
      const created = mine.filter((m) => m.result === 'created').length;
      figures.createdBeyondOne += Math.max(0, created - 1);
      if (created !== 1) failures.push(`${id}: ${created} answers of created`);

      const outbox = await t.store.db
        .selectFrom('outbox')
        .select(['id', 'version'])
        .where('entity_type', '=', ENTITY[kind])
        .where('entity_id', '=', id)
        .orderBy('id')
        .execute();
      const versions = outbox.map((o) => Number(o.version));
      figures.duplicateOutboxVersions += versions.length - new Set(versions).size;
      const expected = Array.from({ length: WRITERS }, (_, i) => i + 1);
      // The outbox is written in commit order: its versions must rise with its ids.
      if (versions.join() !== expected.join()) failures.push(`${id}: outbox versions ${versions.join()}`);

      // What is stored is the body of the write that committed last (the one that answered the highest version).
      const last = [...mine].sort((x, y) => (y.version ?? 0) - (x.version ?? 0))[0]!;
      const stored = await t.store.db
        .selectFrom(kind)
        .select(['version', 'body'])
        .where('workspace_id', '=', a.workspace.workspaceId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (Number(stored.version) !== WRITERS) failures.push(`${id}: stored version ${stored.version}`);
      const body = typeof stored.body === 'string' ? JSON.parse(stored.body) : stored.body;
      const sent = KINDS[kind](last.n).body as Record<string, unknown>;
      const key = kind === 'deals' || kind === 'conversations' ? 'title' : kind === 'clients' ? 'firstName' : 'name';
      if (body[key] !== sent[key]) failures.push(`${id}: stored ${key} ${body[key]} but the last committed write sent ${sent[key]}`);
    }
    console.log(`${dialect} ${kind}: ${JSON.stringify(figures)}`);
    const versions = answers.filter((x) => x.status < 300).map((x) => x.version);
    expect(versions.length).toBe(WRITERS * ROUNDS);
    expect(failures).toEqual([]);

    // Fanned out, each record's sync item waits for its highest version.
    const conn = (await findConnectionById(t.store.db, 'conn-race'))!;
    await fanOut(t.store, conn, defaultConnectionSettings(), Date.now());
    const items = await t.store.db
      .selectFrom('sync_items')
      .select(['entity_id', 'pending_version', 'synced_version'])
      .where('connection_id', '=', 'conn-race')
      .where('entity_type', '=', ENTITY[kind])
      .execute();
    expect(items).toHaveLength(ROUNDS);
    for (const item of items) expect([item.entity_id, Number(item.pending_version), Number(item.synced_version)]).toEqual([item.entity_id, WRITERS, 0]);
  });

  it('messages posted to one conversation at once each take the next version', async () => {
    const id = 'race-messages';
    const first = await a.app.inject({ method: 'PUT', url: `/v1/conversations/${id}`, headers: a.auth, payload: KINDS.conversations(0).body });
    expect(first.statusCode).toBe(201);
    const replies = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) =>
        a.app.inject({
          method: 'POST',
          url: `/v1/conversations/${id}/messages`,
          headers: a.auth,
          payload: { id: `p${w}`, direction: 'inbound', text: `post ${w}`, sentAt: '2026-01-01T11:00:00Z' },
        }),
      ),
    );
    expect(replies.map((r) => r.statusCode)).toEqual(Array(WRITERS).fill(200));
    const versions = replies.map((r) => r.json().conversation.version as number).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 2));
  });

  it('batches that overlap, in any order and of any size, neither fail nor wait for each other forever', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `batch-${i}`);
    // Small batches with the same ids in opposite orders, and large ones that lock the whole kind.
    const batch = (w: number) => {
      const mine = w % 3 === 0 ? ids : (w % 2 ? ids.slice(0, 8) : ids.slice(0, 8).reverse());
      return a.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: a.auth,
        payload: {
          companies: mine.map((id) => ({ id, name: `Co ${w}` })),
          clients: mine.map((id) => ({ id, firstName: `W ${w}` })),
          conversations: mine.map((id) => ({ id, channel: 'sms', title: `T ${w}` })),
          deals: mine.map((id) => ({ id, clientId: id, title: `D ${w}` })),
        },
      });
    };
    const replies = await Promise.all(Array.from({ length: WRITERS }, (_, w) => batch(w)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(WRITERS).fill(200));
    for (const kind of ['clients', 'companies', 'conversations', 'deals'] as const) {
      const created = replies.flatMap((r) => r.json()[kind] as { id: string; result: string }[]).filter((x) => x.id === 'batch-0' && x.result === 'created');
      expect([kind, created.length]).toEqual([kind, 1]);
      const row = await t.store.db.selectFrom(kind).select('version').where('id', '=', 'batch-0').executeTakeFirstOrThrow();
      expect([kind, Number(row.version)]).toEqual([kind, WRITERS]);
    }
  });
});

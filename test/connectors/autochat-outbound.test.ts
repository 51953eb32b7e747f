import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { autochatConnection as ac } from '../../src/connectors/autochat/connection.js';
import { autochatOutbound as out } from '../../src/connectors/autochat/outbound.js';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { RateBudget } from '../../src/connectors/http/rate-budget.js';
import { connectionHttp, failureByStatus } from '../../src/connectors/http/resilient.js';
import type { CanonicalActivity, CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { startFor, type ConnectorHarness } from './support.js';
import { storedDailyQuota } from '../../src/connections/daily-quota.js';

type Row = Record<string, unknown>;

describe('AutoChat CRM outbound connector against the sandbox', () => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('autochat');
    target = { instanceUrl: h.account.baseUrl };
    credentials = { method: 'api_key', apiKey: String(h.account.credentials.apiKey) };
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  /** What the engine hands a connector, with a plain authenticated http (no retries). */
  const context = (options: { timeoutMs?: number; requests?: string[] } = {}): OutboundContext => {
    const plain = createCrmHttp(options);
    const http: CrmHttp = (req) => {
      options.requests?.push(`${req.method ?? 'GET'} ${new URL(req.url).pathname.replace(/.*\/api\/v1/, '')}`);
      return plain({ ...req, headers: { ...ac.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: ac.apiBase(target), target, cache: new Map() } as unknown as OutboundContext;
  };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => (await context().http({ method, url: `${ac.apiBase(target)}${path}`, body })).body as Row;
  const dump = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=autochat`)).json()) as { autochat: Record<string, Row[]> }).autochat;
  const clients = async () => (await dump()).clients ?? [];
  const activities = async () => (await dump()).activities ?? [];
  const settings = (patch: Row) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'autochat', ...patch }) });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const client = (n: number, extra: Partial<CanonicalContact> = {}): CanonicalContact => ({
    clientId: `client-${n}`,
    emails: [`person${n}@example.test`],
    phones: [],
    fallbackName: `New WhatsApp contact: +3460000${String(n).padStart(4, '0')}`,
    properties: {},
    ...extra,
  });
  const okRef = (o: RecordOutcome | undefined): CrmRef => {
    if (!o?.ok) throw new Error(`expected success, got ${o?.error.kind}: ${o?.error.message}`);
    return o.ref;
  };
  const failure = (o: RecordOutcome | undefined) => {
    if (!o || o.ok) throw new Error('expected a failure');
    return o.error;
  };

  describe('clients', () => {
    it('creates a new client by external id, with the fallback name when the name is unknown', async () => {
      const requests: string[] = [];
      const [created] = await out.upsertContacts(context({ requests }), [
        { contact: client(1, { emails: [], phones: ['+34600111222'], company: 'Acme', ownerId: 'usr_02', properties: { plan: 'pro' } }), allowCreate: true },
      ]);
      expect(created).toMatchObject({ ok: true, created: true, ref: { object: 'client' } });
      expect(requests).toEqual(['GET /fields', 'PUT /clients/by-external-id/client-1']);
      expect(await clients()).toMatchObject([
        { name: 'New WhatsApp contact: +34600000001', phone: '+34600111222', email: null, company: 'Acme', owner_id: 'usr_02', external_id: 'client-1', fields: { plan: 'pro' } },
      ]);
    });

    it('upserts many in one batch call; a bad e-mail or picklist value fails only its own client, naming field and value', async () => {
      const requests: string[] = [];
      const outcomes = await out.upsertContacts(context({ requests }), [
        { contact: client(1, { firstName: 'Ana' }), allowCreate: true },
        { contact: client(2, { emails: ['not-an-email'] }), allowCreate: true },
        { contact: client(3, { properties: { Plan: 'gold' } }), allowCreate: true },
        { contact: client(4, { lastName: 'Ruiz', properties: { lead_score: 7 } }), allowCreate: true },
      ]);
      expect(requests).toEqual(['GET /fields', 'POST /clients/batch']);
      okRef(outcomes[0]);
      okRef(outcomes[3]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: 'AutoChat CRM refused email = "not-an-email": must be a valid e-mail address (validation_failed)' });
      expect(failure(outcomes[2])).toMatchObject({ kind: 'invalid', message: 'AutoChat CRM refused fields.plan = "gold": must be one of: free, pro, enterprise (validation_failed)' });
      expect((await clients()).map((c) => [c.external_id, c.name, c.fields])).toEqual([
        ['client-1', 'Ana', {}],
        ['client-4', 'Ruiz', { lead_score: 7 }],
      ]);
    });

    it('upserting the same client twice leaves one client, the second time an update', async () => {
      const first = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const second = await out.upsertContacts(context(), [{ contact: client(1, { lastName: 'Later' }), allowCreate: true }, { contact: client(2), allowCreate: true }]);
      expect(second[0]).toMatchObject({ ok: true, created: false, ref: okRef(first[0]) });
      expect(second[1]).toMatchObject({ ok: true, created: true });
      expect((await clients()).map((c) => c.name)).toEqual(['Later', 'New WhatsApp contact: +34600000002']);
    });

    it('a create that timed out after AutoChat saved it is replayed as an update', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context({ timeoutMs: 500 }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      const [lostBatch] = await out.upsertContacts(context({ timeoutMs: 500 }), [{ contact: client(2), allowCreate: true }, { contact: client(3), allowCreate: true }]);
      expect(failure(lostBatch).kind).toBe('unavailable');
      await sleep(1100);
      expect(await clients()).toHaveLength(3); // committed, though we never heard

      await settings({ timeoutRate: 0 });
      const replayed = await out.upsertContacts(context(), [1, 2, 3].map((n) => ({ contact: client(n, { firstName: `Name ${n}` }), allowCreate: true })));
      expect(replayed.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      expect((await clients()).map((c) => c.name)).toEqual(['Name 1', 'Name 2', 'Name 3']);
    });

    it('an update sends only what we know: the client keeps the fields we lack', async () => {
      const existing = await call('POST', '/clients', { name: 'Bea Old', email: 'bea@example.test', phone: '+34911000000', company: 'Old Corp', fields: { plan: 'enterprise', vip: true } });
      const ctx = context();
      const ref = (await out.matchContacts(ctx, [client(7, { emails: ['Bea@Example.TEST'] })])).get('client-7');
      expect(ref).toEqual({ object: 'client', id: existing.id });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { emails: ['bea@example.test'], firstName: 'Bea', lastName: 'New', properties: { lead_score: 90 } }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref });
      expect(await clients()).toMatchObject([{ name: 'Bea New', email: 'bea@example.test', phone: '+34911000000', company: 'Old Corp', external_id: null, fields: { plan: 'enterprise', vip: true, lead_score: 90 } }]);
    });

    it('updates matched clients and creates new ones in one batch call; a client deleted since fails alone', async () => {
      const ann = await call('POST', '/clients', { name: 'Ann Old', email: 'ann@example.test', fields: { plan: 'enterprise' } });
      const bea = await call('POST', '/clients', { name: 'Bea Old', phone: '+34911000000' });
      const requests: string[] = [];
      const outcomes = await out.upsertContacts(context({ requests }), [
        { contact: client(1, { emails: ['ann@example.test'], firstName: 'Ann', lastName: 'New', properties: { vip: true } }), existing: { object: 'client', id: String(ann.id) }, allowCreate: true },
        { contact: client(2, { emails: [], company: 'Bea Co' }), existing: { object: 'client', id: String(bea.id) }, allowCreate: true },
        { contact: client(3), existing: { object: 'client', id: 'cli_000404' }, allowCreate: true },
        { contact: client(4), allowCreate: true },
      ]);
      expect(requests).toEqual(['GET /fields', 'POST /clients/batch']);
      expect(outcomes.slice(0, 2)).toEqual([
        { ok: true, created: false, ref: { object: 'client', id: ann.id } },
        { ok: true, created: false, ref: { object: 'client', id: bea.id } },
      ]);
      expect(failure(outcomes[2])).toMatchObject({ kind: 'not_found', message: 'AutoChat CRM refused: No client with id cli_000404 (not_found)' });
      expect(outcomes[3]).toMatchObject({ ok: true, created: true });
      expect((await clients()).map((c) => [c.name, c.email, c.phone, c.company, c.external_id, c.fields])).toEqual([
        ['Ann New', 'ann@example.test', null, null, null, { plan: 'enterprise', vip: true }],
        ['Bea Old', null, '+34911000000', 'Bea Co', null, {}],
        ['New WhatsApp contact: +34600000004', 'person4@example.test', null, null, 'client-4', {}],
      ]);
    });

    it('an update-only connection does not create an unmatched client', async () => {
      const [skipped] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await clients()).toHaveLength(0);
    });
  });

  describe('matching, owners, fields', () => {
    it('matches by e-mail (any case) first, then by phone', async () => {
      const byMail = await call('POST', '/clients', { name: 'Mail', email: 'ann@example.test' });
      const byPhone = await call('POST', '/clients', { name: 'Phone', phone: '+34600111222' });
      const requests: string[] = [];
      const found = await out.matchContacts(context({ requests }), [
        client(1, { emails: ['ANN@example.test'], phones: ['+34600111222'] }),
        client(2, { emails: ['nobody@example.test'], phones: ['+34600111222'] }),
        client(3, { emails: ['nobody@example.test'], phones: ['+34699999999', 'not a phone'] }),
      ]);
      expect(found).toEqual(
        new Map([
          ['client-1', { object: 'client', id: byMail.id }],
          ['client-2', { object: 'client', id: byPhone.id }],
        ]),
      );
      expect(requests).toEqual(['POST /clients/lookup']);
    });

    it('matches 1,200 clients in three lookups of up to 500 e-mails and 500 phones; of two clients with one e-mail the oldest wins', async () => {
      const older = await call('POST', '/clients', { name: 'Older', email: 'person7@example.test' });
      await call('POST', '/clients', { name: 'Newer', email: 'person7@example.test' });
      const byPhone = await call('POST', '/clients', { name: 'Phone', phone: '+34600001199' });
      const requests: string[] = [];
      const many = Array.from({ length: 1200 }, (_, n) => client(n, { phones: [`+346000${String(n).padStart(5, '0')}`] }));
      const found = await out.matchContacts(context({ requests }), many);
      expect(requests).toEqual(['POST /clients/lookup', 'POST /clients/lookup', 'POST /clients/lookup']);
      expect(found).toEqual(new Map([['client-7', { object: 'client', id: older.id }], ['client-1199', { object: 'client', id: byPhone.id }]]));
    });

    it('finds owners by e-mail, has no deals, and describes the fields with picklist options', async () => {
      const ctx = context();
      expect(await out.findOwnerByEmail(ctx, 'Maria.Agent@sandbox.crm-sync.test')).toBe('usr_02');
      expect(await out.findOwnerByEmail(ctx, 'agent@sandbox.crm-sync.test')).toBeUndefined();
      expect(await out.findOpenDeal(ctx, { object: 'client', id: 'cli_000001' })).toBeUndefined();
      const props = await out.describeContactProperties(ctx);
      expect(props.find((p) => p.name === 'plan')).toEqual({ name: 'plan', label: expect.any(String), type: 'picklist', options: ['free', 'pro', 'enterprise'], readOnly: false });
      expect(props.find((p) => p.name === 'lead_score')).toMatchObject({ type: 'number' });
    });
  });

  describe('activities', () => {
    const setup = async () => okRef((await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]))[0]);
    const activity = (contact: CrmRef, kind: CanonicalActivity['kind'], extra: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key: `conv-1:${kind}`,
      kind,
      contact,
      subject: `The ${kind}`,
      body: `About the ${kind}`,
      occurredAt: '2026-11-20T10:00:00Z',
      ...extra,
    });

    it('writes notes, tasks with due date and assignee, calls, meetings and transcripts as messages', async () => {
      const c = await setup();
      const outcomes = await out.writeActivities(context(), [
        activity(c, 'note'),
        activity(c, 'task', { dueAt: '2026-11-22T09:30:00Z', ownerId: 'usr_03' }),
        activity(c, 'call', { endAt: '2026-11-20T10:45:00Z' }),
        activity(c, 'meeting'),
        activity(c, 'transcript'),
      ]);
      expect(outcomes.map((o) => o.ok && o.created)).toEqual([true, true, true, true, true]);
      expect((await activities()).map((a) => [a.type, a.title, a.due_at, a.occurred_at, a.assignee_id])).toEqual([
        ['note', 'The note', null, '2026-11-20T10:00:00.000Z', null],
        ['task', 'The task', '2026-11-22T09:30:00.000Z', null, 'usr_03'],
        ['call', 'The call', null, '2026-11-20T10:00:00.000Z', null],
        ['meeting', 'The meeting', null, '2026-11-20T10:00:00.000Z', null],
        ['message', 'The transcript', null, '2026-11-20T10:00:00.000Z', null],
      ]);
    });

    it('replaying a batch never doubles an activity, also after a timeout AutoChat committed', async () => {
      const c = await setup();
      const batch = [activity(c, 'note'), activity(c, 'task', { dueAt: '2026-11-22T00:00:00Z' })];
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.writeActivities(context({ timeoutMs: 500 }), batch);
      expect(lost.map((o) => !o.ok && o.error.kind)).toEqual(['unavailable', 'unavailable']);
      await sleep(1100);
      expect(await activities()).toHaveLength(2);
      await settings({ timeoutRate: 0 });
      const requests: string[] = [];
      const replayed = await out.writeActivities(context({ requests }), [...batch, activity(c, 'call')]);
      expect(requests).toEqual(['POST /activities/batch']);
      expect(replayed.map((o) => o.ok && o.created)).toEqual([false, false, true]);
      // The conversation changed since (same key, another body): still no second record.
      const changed = await out.writeActivities(context(), [activity(c, 'note', { body: 'Edited later' })]);
      expect(changed).toMatchObject([{ ok: true, created: false, ref: okRef(replayed[0]) }]);
      expect((await activities()).map((a) => a.type)).toEqual(['note', 'task', 'call']);
    });

    it('a grown record (replaces) is edited in place with PATCH; one deleted in AutoChat since is written anew', async () => {
      const c = await setup();
      const [first] = await out.writeActivities(context(), [activity(c, 'transcript', { body: 'Hi' })]);
      const requests: string[] = [];
      const [grown] = await out.writeActivities(context({ requests }), [activity(c, 'transcript', { subject: 'Chat (grown)', body: 'Hi\nHello again', replaces: okRef(first) })]);
      expect(grown).toMatchObject({ ok: true, created: false, ref: okRef(first) });
      expect(requests).toEqual([`PATCH /activities/${okRef(first).id}`]);
      expect((await activities()).map((a) => [a.id, a.type, a.title, a.body])).toEqual([[okRef(first).id, 'message', 'Chat (grown)', 'Hi\nHello again']]);

      await context().http({ method: 'DELETE', url: `${ac.apiBase(target)}/clients/${c.id}` });
      const again = await setup();
      const [gone] = await out.writeActivities(context(), [activity(again, 'transcript', { body: 'Hi\nHello again\nStill there?', replaces: okRef(first) })]);
      expect(gone).toMatchObject({ ok: true, created: true });
      expect((await activities()).map((a) => a.body)).toEqual(['Hi\nHello again\nStill there?']);
    });

    it('a bad activity fails alone, naming the field and the value; one for a client deleted since is not_found', async () => {
      const c = await setup();
      const gone: CrmRef = { object: 'client', id: 'cli_000404' };
      const [bad, good, orphan] = await out.writeActivities(context(), [activity(c, 'task', { key: 'k1', ownerId: 'usr_99' }), activity(c, 'note', { key: 'k2' }), activity(gone, 'note', { key: 'k3' })]);
      expect(failure(bad)).toMatchObject({ kind: 'invalid', message: 'AutoChat CRM refused assignee_id = "usr_99": no user with id usr_99 (validation_failed)' });
      expect(good).toMatchObject({ ok: true, created: true });
      expect(failure(orphan)).toMatchObject({ kind: 'not_found', message: 'AutoChat CRM refused client_id = "cli_000404": no client with id cli_000404 (not_found)' });
      expect((await activities()).map((a) => [a.client_id, a.idempotency_key])).toEqual([[c.id, 'k2']]);
    });

    it('writes 150 activities no earlier attempt wrote in two batch calls and nothing else', async () => {
      const c = await setup();
      const requests: string[] = [];
      const many = Array.from({ length: 150 }, (_, n) => activity(c, n % 2 ? 'task' : 'note', { key: `conv-${n}`, maybeWritten: false }));
      const outcomes = await out.writeActivities(context({ requests }), many);
      expect(outcomes.every((o) => o.ok && o.created)).toBe(true);
      expect(requests).toEqual(['POST /activities/batch', 'POST /activities/batch']);
      expect((await activities()).map((a) => a.idempotency_key)).toEqual(many.map((a) => a.key));
    });

    it('a key longer than AutoChat takes is sent hashed, the same way every time', async () => {
      const c = await setup();
      const long = activity(c, 'note', { key: `conv-${'x'.repeat(300)}` });
      const [first] = await out.writeActivities(context(), [long]);
      const [again] = await out.writeActivities(context(), [long]);
      expect(again).toMatchObject({ ok: true, created: false, ref: okRef(first) });
      expect((await activities()).map((a) => a.idempotency_key)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    });
  });
});

/**
 * Through the shared resilient http (retries, rate budget) with 5xx and timeouts after commit
 * injected, replaying what failed as the engine does: the final state is exact. Upserts and
 * keyed activity POSTs are retried by the http layer itself, since they are idempotent.
 */
describe.each(TEST_DIALECTS)('AutoChat CRM outbound under faults, through the resilient http, on %s', (dialect) => {
  let h: ConnectorHarness;
  let t: TestStore;

  beforeAll(async () => {
    h = await startFor('autochat');
    t = await openTestStore(dialect);
  });
  afterAll(async () => {
    await h.sb.close();
    await t.cleanup();
  });

  it('leaves exactly one client per client id and each activity once', async () => {
    const target: ConnectionTarget = { instanceUrl: h.account.baseUrl };
    const credentials: Credentials = { method: 'api_key', apiKey: String(h.account.credentials.apiKey) };
    const http = connectionHttp({
      crm: 'autochat',
      base: createCrmHttp({ timeoutMs: 300 }),
      credentials: async () => ({ headers: ac.authHeaders(credentials, target) }),
      budget: new RateBudget({ crm: 'autochat', connectionId: `ac-faults-${dialect}`, quota: storedDailyQuota(t.store.db), dailyLimit: null }),
      classify: (res) => (res.status === 401 || res.status === 429 || res.status >= 500 ? failureByStatus('autochat')(res) : undefined),
      backoff: { baseMs: 5, capMs: 20 },
    });
    const ctx = { http, apiBase: ac.apiBase(target), target, cache: new Map() } as unknown as OutboundContext;
    await fetch(`${h.sb.origin}/sandbox/__control/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crm: 'autochat', errorRate: 0.15, timeoutRate: 0.25, timeoutDelayMs: 600 }),
    });

    const contacts: CanonicalContact[] = Array.from({ length: 4 }, (_, i) => ({ clientId: `f-${i}`, firstName: `Client ${i}`, emails: [`f${i}@faults.test`], phones: [], fallbackName: `f-${i}`, properties: {} }));
    const refs = new Map<string, CrmRef>();
    for (let round = 0; refs.size < contacts.length && round < 20; round++) {
      const pending = contacts.filter((c) => !refs.has(c.clientId));
      const matched = await out.matchContacts(ctx, pending).catch(() => new Map<string, CrmRef>());
      const outcomes = await out.upsertContacts(ctx, pending.map((c) => ({ contact: c, existing: matched.get(c.clientId), allowCreate: true })));
      outcomes.forEach((o, i) => o.ok && refs.set(pending[i]!.clientId, o.ref));
    }
    expect(refs.size).toBe(contacts.length);

    const activities: CanonicalActivity[] = contacts.flatMap((c) => [
      { key: `${c.clientId}:note`, kind: 'note' as const, contact: refs.get(c.clientId)!, subject: 'Summary', body: `About ${c.clientId}`, occurredAt: '2026-11-20T10:00:00Z' },
      { key: `${c.clientId}:task`, kind: 'task' as const, contact: refs.get(c.clientId)!, subject: 'Call back', body: '', occurredAt: '2026-11-20T10:00:00Z', dueAt: '2026-11-21T10:00:00Z' },
    ]);
    const done = new Set<string>();
    for (let round = 0; done.size < activities.length && round < 20; round++) {
      const pending = activities.filter((a) => !done.has(a.key));
      (await out.writeActivities(ctx, pending)).forEach((o, j) => o.ok && done.add(pending[j]!.key));
    }
    expect(done.size).toBe(activities.length);

    const d = ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=autochat`)).json()) as { autochat: Record<string, Record<string, unknown>[]> }).autochat;
    expect(d.clients!.map((c) => c.external_id).sort()).toEqual(contacts.map((c) => c.clientId));
    expect(d.activities!.map((a) => `${a.client_id}:${a.type}`).sort()).toEqual([...refs.values()].flatMap((r) => [`${r.id}:note`, `${r.id}:task`]).sort());
  }, 60_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { RateBudget } from '../../src/connectors/http/rate-budget.js';
import { connectionHttp, failureByStatus } from '../../src/connectors/http/resilient.js';
import type { CanonicalActivity, CanonicalCompany, CanonicalContact, CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import { pipedriveConnection as pd } from '../../src/connectors/pipedrive/connection.js';
import { pipedriveOutbound as out } from '../../src/connectors/pipedrive/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { startFor, type ConnectorHarness } from './support.js';
import { storedDailyQuota } from '../../src/connections/daily-quota.js';

type Point = { value: string; primary: boolean };
type Person = { id: string; name: string; emails: Point[]; phones: Point[]; org_id: number | null; owner_id: number; custom: Record<string, unknown> };
type Row = Record<string, unknown>;
type Field = { key: string; name: string; options: { id: number; label: string }[] | null };

describe('Pipedrive outbound connector against the sandbox', () => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('pipedrive');
    target = { baseUrl: h.account.baseUrl };
    credentials = { method: 'api_key', apiKey: String(h.account.credentials.apiToken) };
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  /** What the engine hands a connector, with a plain authenticated http (no retries). */
  const context = (options: { timeoutMs?: number; urls?: string[] } = {}): OutboundContext => {
    const plain = createCrmHttp(options);
    const http: CrmHttp = (req) => {
      options.urls?.push(`${req.method ?? 'GET'} ${new URL(req.url).pathname}`);
      return plain({ ...req, headers: { ...pd.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: pd.apiBase(target), target, cache: new Map() } as unknown as OutboundContext;
  };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => ((await context().http({ method, url: `${pd.apiBase(target)}${path}`, body })).body as { data: Row }).data;
  const dump = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=pipedrive`)).json()) as { pipedrive: Record<string, Row[]> }).pipedrive;
  const persons = async () => ((await dump()).persons ?? []) as unknown as Person[];
  const fields = async () => ((await dump()).customFields ?? []) as unknown as Field[];
  const fieldKey = async (name: string) => (await fields()).find((f) => f.name === name)!.key;
  const settings = (patch: Row) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'pipedrive', ...patch }) });
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

  describe('persons', () => {
    it('creates a person with its organization and the client id in the "crm-sync client id" field, created once', async () => {
      const ctx = context();
      const [nameless, named] = await out.upsertContacts(ctx, [
        { contact: client(1, { emails: [], phones: ['+34600111222', '+34600333444'] }), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'García', company: 'Acme', ownerId: '2' }), allowCreate: true },
      ]);
      expect(nameless).toMatchObject({ ok: true, created: true, ref: { object: 'person' } });
      expect(named).toMatchObject({ ok: true, created: true, ref: { object: 'person' } });
      expect((await fields()).filter((f) => f.name === 'crm-sync client id')).toHaveLength(1);
      const key = await fieldKey('crm-sync client id');
      const [a, b] = await persons();
      expect(a).toMatchObject({ name: 'New WhatsApp contact: +34600000001', emails: [], phones: [{ value: '+34600111222', primary: true }, { value: '+34600333444', primary: false }], custom: { [key]: 'client-1' } });
      const org = ((await dump()).organizations ?? []).find((o) => o.name === 'Acme')!;
      expect(b).toMatchObject({ name: 'Ana García', emails: [{ value: 'person2@example.test', primary: true }], org_id: Number(org.id), owner_id: 2, custom: { [key]: 'client-2' } });

      // Another client of the same company joins the same organization.
      await out.upsertContacts(ctx, [{ contact: client(3, { company: 'ACME' }), allowCreate: true }]);
      expect(((await dump()).organizations ?? []).filter((o) => String(o.name).toLowerCase() === 'acme')).toHaveLength(1);
    });

    it('upserting the same client twice leaves one person, the second time an update (also from a fresh connection cache)', async () => {
      const first = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const second = await out.upsertContacts(context(), [{ contact: client(1, { lastName: 'Later' }), allowCreate: true }]);
      expect(second[0]).toMatchObject({ ok: true, created: false, ref: okRef(first[0]) });
      expect((await persons()).map((p) => p.name)).toEqual(['Later']);
    });

    it('a create that timed out after Pipedrive saved it is replayed as an update, though search does not show it yet', async () => {
      const ctx = context({ timeoutMs: 500 });
      okRef((await out.upsertContacts(ctx, [{ contact: client(9), allowCreate: true }]))[0]); // the client id field exists
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await sleep(1100); // the sandbox commits, then answers late
      expect(await persons()).toHaveLength(2);

      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Eva' }), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect((await persons()).map((p) => p.name)).toEqual(['New WhatsApp contact: +34600000009', 'Eva']);
      // Once settled, the next replay finds it the usual way (here: search, once the index caught up).
      await settings({ searchLagMs: 0 });
      const [again] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      expect(again).toMatchObject({ ok: true, created: false, ref: okRef(replayed) });
      expect(await persons()).toHaveLength(2);
    });

    it('a client no earlier attempt wrote is created without searching its client id; one an attempt may have written is searched', async () => {
      okRef((await out.upsertContacts(context(), [{ contact: client(9), allowCreate: true }]))[0]); // the client id field exists
      const urls: string[] = [];
      const [fresh] = await out.upsertContacts(context({ urls }), [{ contact: client(1, { maybeWritten: false }), allowCreate: true }]);
      expect(fresh).toMatchObject({ ok: true, created: true });
      expect(urls.filter((u) => !u.endsWith('/personFields'))).toEqual(['POST /sandbox/pipedrive/api/v2/persons']);

      urls.length = 0;
      const [replayed] = await out.upsertContacts(context({ urls }), [{ contact: client(1, { maybeWritten: true }), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false, ref: okRef(fresh) });
      expect(urls).toContain('GET /sandbox/pipedrive/api/v2/persons/search');
      expect(await persons()).toHaveLength(2);
    });

    it('a create that timed out stays noted: a later write of the client reads the persons changed since, even when the engine says no attempt was made', async () => {
      const ctx = context({ timeoutMs: 500 });
      okRef((await out.upsertContacts(ctx, [{ contact: client(9), allowCreate: true }]))[0]);
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      expect(failure((await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]))[0]).kind).toBe('unavailable');
      await sleep(1100);
      // The engine gave up on that attempt (its sync item settled), so the next version says maybeWritten false.
      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const [next] = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Eva', maybeWritten: false }), allowCreate: true }]);
      expect(next).toMatchObject({ ok: true, created: false });
      expect((await persons()).map((p) => p.name)).toEqual(['New WhatsApp contact: +34600000009', 'Eva']);
    });

    it('an update sends only what we know: the person keeps e-mails, phones, organization and fields we lack', async () => {
      const score = await fieldKey('Lead score');
      const org = await call('POST', '/api/v1/organizations', { name: 'Old Corp' });
      const created = await call('POST', '/api/v1/persons', { name: 'Bea Old', email: ['Bea@Example.test', 'bea.private@example.test'], phone: ['+34911000000'], org_id: org.id, [score]: 42 });
      const ctx = context();
      const ref = (await out.matchContacts(ctx, [client(7, { emails: ['bea@example.test'] })])).get('client-7');
      expect(ref).toEqual({ object: 'person', id: String(created.id) });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { emails: ['bea@example.test', 'bea@new.test'], lastName: 'New' }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref });
      const [p] = await persons();
      expect(p).toMatchObject({ name: 'Bea New', org_id: Number(org.id), phones: [{ value: '+34911000000', primary: true }] });
      expect(p!.emails.map((e) => e.value)).toEqual(['Bea@Example.test', 'bea.private@example.test', 'bea@new.test']);
      expect(p!.custom[score]).toBe(42);
      expect(p!.custom[await fieldKey('crm-sync client id')]).toBe('client-7');
    });

    it('an unchanged client sends no write', async () => {
      const ctx = context();
      const [first] = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Ana' }), allowCreate: true }]);
      const urls: string[] = [];
      const [again] = await out.upsertContacts(context({ urls }), [{ contact: client(1, { firstName: 'Ana' }), existing: okRef(first), allowCreate: true }]);
      expect(again).toMatchObject({ ok: true, created: false });
      expect(urls.filter((u) => !u.startsWith('GET'))).toEqual([]);
    });

    it('an update-only connection does not create an unmatched client', async () => {
      const [skipped] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await persons()).toHaveLength(0);
    });

    it('maps properties by field name or hash key; a bad option fails only its own record, naming field and value', async () => {
      const score = await fieldKey('Lead score');
      const source = (await fields()).find((f) => f.name === 'Source')!;
      const outcomes = await out.upsertContacts(context(), [
        { contact: client(1, { properties: { Source: 'referral', [score]: 80 } }), allowCreate: true },
        { contact: client(2, { properties: { Source: 'Lukewarm' } }), allowCreate: true },
        { contact: client(3, { properties: { 'lead score': 12 } }), allowCreate: true },
      ]);
      okRef(outcomes[0]);
      okRef(outcomes[2]);
      const bad = failure(outcomes[1]);
      expect(bad.kind).toBe('invalid');
      expect(bad.message).toBe('Pipedrive refused Source = "Lukewarm": not one of its options (Website, Referral, Chat, Event).');
      const all = await persons();
      expect(all.map((p) => p.custom[score])).toEqual([80, 12]);
      expect(all[0]!.custom[source.key]).toBe(source.options!.find((o) => o.label === 'Referral')!.id);
    });

    it('a refusal by Pipedrive names the field and the value too', async () => {
      const ctx = context();
      const [bad] = await out.upsertContacts(ctx, [{ contact: client(1, { ownerId: '999' }), allowCreate: true }]);
      expect(failure(bad).kind).toBe('invalid');
      expect(failure(bad).message).toMatch(/owner_id: User with id 999 does not exist/);
      expect(await persons()).toHaveLength(0);
    });
  });

  describe('matching, owners, deals, fields', () => {
    it('matches by e-mail (any case) first, then by phone', async () => {
      const byMail = await call('POST', '/api/v1/persons', { name: 'Mail', email: ['Ann@Example.TEST'] });
      const byPhone = await call('POST', '/api/v1/persons', { name: 'Phone', phone: ['+34 600 111 222'] });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['ann@example.test'], phones: ['+34600111222'] }),
        client(2, { emails: ['nobody@example.test'], phones: ['+34600111222'] }),
        client(3, { emails: ['nobody@example.test'], phones: ['+34699999999'] }),
      ]);
      expect(found).toEqual(
        new Map([
          ['client-1', { object: 'person', id: String(byMail.id) }],
          ['client-2', { object: 'person', id: String(byPhone.id) }],
        ]),
      );
    });

    it('finds owners by e-mail, the open deal of a person, and the person fields with options', async () => {
      const ctx = context();
      expect(await out.findOwnerByEmail(ctx, 'Maria.Sales@sandbox.crm-sync.test')).toBe('2');
      expect(await out.findOwnerByEmail(ctx, 'sales@sandbox.crm-sync.test')).toBeUndefined();

      const p = await call('POST', '/api/v1/persons', { name: 'Deal person' });
      expect(await out.findOpenDeal(ctx, { object: 'person', id: String(p.id) })).toBeUndefined();
      await call('POST', '/api/v1/deals', { title: 'Won', person_id: p.id, status: 'won' });
      const open = await call('POST', '/api/v1/deals', { title: 'Open', person_id: p.id });
      await call('POST', '/api/v1/deals', { title: 'Someone else' });
      expect(await out.findOpenDeal(ctx, { object: 'person', id: String(p.id) })).toEqual({ object: 'deal', id: String(open.id) });

      // Many persons at once: the company's open deals listed once instead of a call per person.
      const others = await Promise.all(Array.from({ length: 9 }, (_, i) => call('POST', '/api/v1/persons', { name: `Other ${i}` })));
      const urls: string[] = [];
      const all = await out.findOpenDeals!(context({ urls }), [p, ...others].map((x) => ({ object: 'person', id: String(x.id) })));
      expect(all).toEqual(new Map([[String(p.id), { object: 'deal', id: String(open.id) }]]));
      expect(urls).toEqual(['GET /sandbox/pipedrive/api/v2/deals']);

      const props = await out.describeContactProperties(ctx);
      const source = props.find((f) => f.label === 'Source')!;
      expect(source).toMatchObject({ type: 'picklist', options: ['Website', 'Referral', 'Chat', 'Event'], readOnly: false });
      expect(source.name).toMatch(/^[0-9a-f]{40}$/);
      expect(props.find((f) => f.label === 'Lead score')).toMatchObject({ type: 'number', readOnly: false });
    });
  });

  describe('companies as organizations', () => {
    const company = (n: number, extra: Partial<CanonicalCompany> = {}): CanonicalCompany => ({ companyId: `co-${n}`, name: `Company ${n}`, properties: {}, ...extra });
    const orgs = async () => ((await dump()).organizations ?? []) as unknown as { id: string; name: string; custom: Record<string, unknown> }[];
    const orgKey = async (name: string) => (((await dump()).customFields ?? []) as unknown as (Field & { entity: string })[]).filter((f) => f.name === name);

    it('creates an organization with its company id, account id and domain in fields created once; a replay from a fresh cache updates it', async () => {
      const [created] = await out.upsertCompanies!(context(), [{ company: company(1, { externalAccountId: 'acct-1', domain: 'one.test', properties: { Industry: 'Retail' } }), allowCreate: true }]);
      expect(created).toMatchObject({ ok: true, created: true, ref: { object: 'organization' } });
      for (const name of ['crm-sync company id', 'External account id', 'Domain']) expect(await orgKey(name)).toHaveLength(1);
      const [companyId, account, domain, industry] = await Promise.all(['crm-sync company id', 'External account id', 'Domain', 'Industry'].map(async (n) => (await orgKey(n))[0]!.key));
      expect((await orgs())[0]).toMatchObject({ name: 'Company 1', custom: { [companyId!]: 'co-1', [account!]: 'acct-1', [domain!]: 'one.test', [industry!]: 'Retail' } });

      const [again] = await out.upsertCompanies!(context(), [{ company: company(1, { name: 'Company One' }), allowCreate: true }]);
      expect(again).toMatchObject({ ok: true, created: false, ref: okRef(created) });
      expect((await orgs()).map((o) => [o.name, o.custom[account!]])).toEqual([['Company One', 'acct-1']]);
    });

    it('matches by account id first, then by domain, then by exact name', async () => {
      const ctx = context();
      const [a, b] = await out.upsertCompanies!(ctx, [
        { company: company(1, { externalAccountId: 'acct-1', domain: 'one.test' }), allowCreate: true },
        { company: company(2, { domain: 'two.test' }), allowCreate: true },
      ]);
      const byName = await call('POST', '/api/v1/organizations', { name: 'Hand Made Ltd' });
      const found = await out.matchCompanies!(ctx, [
        company(10, { externalAccountId: 'acct-1', domain: 'two.test' }),
        company(11, { domain: 'TWO.test' }),
        company(12, { name: 'hand made ltd' }),
        company(13, { name: 'Nobody', domain: 'none.test' }),
      ]);
      expect(found).toEqual(
        new Map([
          ['co-10', okRef(a)],
          ['co-11', okRef(b)],
          ['co-12', { object: 'organization', id: String(byName.id) }],
        ]),
      );
    });

    it('a create that timed out after Pipedrive saved it is replayed as an update, though search does not show it yet', async () => {
      const ctx = context({ timeoutMs: 500 });
      okRef((await out.upsertCompanies!(ctx, [{ company: company(9), allowCreate: true }]))[0]); // the fields exist
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertCompanies!(ctx, [{ company: company(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await sleep(1100);
      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const [replayed] = await out.upsertCompanies!(ctx, [{ company: company(1, { name: 'Renamed' }), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect((await orgs()).map((o) => o.name)).toEqual(['Company 9', 'Renamed']);
    });

    it('an update-only connection does not create, and an unknown mapped field fails only its record, naming it', async () => {
      const [skipped, bad, good] = await out.upsertCompanies!(context(), [
        { company: company(1), allowCreate: false },
        { company: company(2, { properties: { Colour: 'red' } }), allowCreate: true },
        { company: company(3), allowCreate: true },
      ]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(failure(bad)).toMatchObject({ kind: 'invalid', message: 'Pipedrive refused Colour = "red": Pipedrive has no custom organization field by that name or key.' });
      expect(good).toMatchObject({ ok: true, created: true });
      expect((await orgs()).map((o) => o.name)).toEqual(['Company 3']);
    });
  });

  describe('deals on request', () => {
    const deals = async () => ((await dump()).deals ?? []) as unknown as Row[];
    const dealKeyField = async () => (((await dump()).customFields ?? []) as unknown as Field[]).filter((f) => f.name === 'crm-sync deal key');
    const request = (person: CrmRef, extra: Partial<CanonicalDeal> = {}): CanonicalDeal => ({ key: 'deal-1', contact: person, title: 'Ana: 50 seats', ...extra });

    it('creates a deal with person, organization, value, currency, close date and owner, its key in a deal field created once; a replay creates nothing', async () => {
      const ctx = context();
      const person = okRef((await out.upsertContacts(ctx, [{ contact: client(1, { company: 'Acme' }), allowCreate: true }]))[0]);
      const org = ((await dump()).organizations ?? []).find((o) => o.name === 'Acme')!;
      const req = request(person, { company: { object: 'organization', id: String(org.id) }, amount: 5000, currency: 'usd', closeDate: '2026-12-31', ownerId: '2' });
      const first = await out.createDeal!(ctx, req);
      expect(first).toMatchObject({ ok: true, created: true, ref: { object: 'deal' } });
      const again = await out.createDeal!(context(), req);
      expect(again).toEqual({ ok: true, created: false, ref: okRef(first) });
      expect(await dealKeyField()).toHaveLength(1);
      const all = await deals();
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ title: 'Ana: 50 seats', person_id: Number(person.id), org_id: Number(org.id), value: 5000, currency: 'USD', expected_close_date: '2026-12-31', owner_id: 2, status: 'open' });
      expect((all[0]!.custom as Record<string, unknown>)[(await dealKeyField())[0]!.key]).toBe('deal-1');
      // Another key for the same person is another deal.
      expect(await out.createDeal!(ctx, request(person, { key: 'deal-2', title: 'Renewal' }))).toMatchObject({ ok: true, created: true });
      expect(await deals()).toHaveLength(2);
    });

    it('a create that timed out after Pipedrive saved it is found on the replay (the person\'s deals are read, not searched)', async () => {
      const person = okRef((await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]))[0]);
      okRef(await out.createDeal!(context(), request(person, { key: 'warm-up' }))); // the key field exists
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500, searchLagMs: 60_000 });
      const lost = await out.createDeal!(context({ timeoutMs: 500 }), request(person));
      expect(failure(lost).kind).toBe('unavailable');
      await sleep(1100);
      await settings({ timeoutRate: 0 });
      const replayed = await out.createDeal!(context(), request(person));
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect((await deals()).map((d) => d.title)).toEqual(['Ana: 50 seats', 'Ana: 50 seats']);
      expect((await deals()).filter((d) => Object.values(d.custom as Record<string, unknown>).includes('deal-1'))).toHaveLength(1);
    });

    it('refuses a deal for something that is not a person, and says why Pipedrive refused one', async () => {
      expect(failure(await out.createDeal!(context(), request({ object: 'organization', id: '1' }))).kind).toBe('invalid');
      const person = okRef((await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]))[0]);
      const bad = failure(await out.createDeal!(context(), request(person, { ownerId: '999' })));
      expect(bad.kind).toBe('invalid');
      expect(bad.message).toMatch(/owner_id/);
      expect(await deals()).toHaveLength(0);
    });
  });

  describe('notes and activities', () => {
    const setup = async () => {
      const ctx = context();
      const person = okRef((await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]))[0]);
      const deal = await call('POST', '/api/v1/deals', { title: 'Open', person_id: Number(person.id) });
      return { ctx, person, deal: { object: 'deal', id: String(deal.id) } };
    };
    const activity = (person: CrmRef, deal: CrmRef | undefined, kind: CanonicalActivity['kind'], extra: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key: `conv-1:${kind}`,
      kind,
      contact: person,
      deal,
      subject: `The ${kind}`,
      body: `About the ${kind} <b>&</b>\nsecond line`,
      occurredAt: '2026-11-20T10:00:00Z',
      ...extra,
    });

    it('writes a note with HTML on the person and deal, and a task, a call and a meeting with type, due date, duration and assignee', async () => {
      const { ctx, person, deal } = await setup();
      const outcomes = await out.writeActivities(ctx, [
        activity(person, deal, 'note'),
        activity(person, deal, 'task', { dueAt: '2026-11-22T09:30:00Z', ownerId: '3' }),
        activity(person, deal, 'call', { endAt: '2026-11-20T10:45:00Z' }),
        activity(person, undefined, 'meeting', { occurredAt: '2026-11-21T15:00:00Z', endAt: '2026-11-21T16:30:00Z' }),
      ]);
      expect(outcomes.map((o) => o.ok && o.ref.object)).toEqual(['note', 'activity', 'activity', 'activity']);
      const d = await dump();
      expect(d.notes).toHaveLength(1);
      expect(d.notes![0]).toMatchObject({
        person_id: Number(person.id),
        deal_id: Number(deal.id),
        content: '<p><b>The note</b></p><p>About the note &lt;b&gt;&amp;&lt;/b&gt;<br>second line</p><p>[crm-sync:conv-1:note]</p>',
      });
      const acts = d.activities!;
      expect(acts.find((a) => a.type === 'task')).toMatchObject({ subject: 'The task', due_date: '2026-11-22', due_time: '09:30', done: false, owner_id: 3, deal_id: Number(deal.id) });
      expect(acts.find((a) => a.type === 'call')).toMatchObject({ due_date: '2026-11-20', due_time: '10:00', duration: '00:45', done: true, person_id: Number(person.id) });
      expect(acts.find((a) => a.type === 'meeting')).toMatchObject({ due_date: '2026-11-21', due_time: '15:00', duration: '01:30', done: true, deal_id: null });
    });

    it('replaying a batch never doubles a note or an activity, also after a timeout Pipedrive committed', async () => {
      const { person, deal } = await setup();
      const batch = [activity(person, deal, 'note'), activity(person, deal, 'task', { dueAt: '2026-11-22T00:00:00Z' })];
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.writeActivities(context({ timeoutMs: 500 }), batch);
      expect(lost.map((o) => !o.ok && o.error.kind)).toEqual(['unavailable', 'unavailable']);
      await sleep(1100);
      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const replayed = await out.writeActivities(context(), [...batch, activity(person, deal, 'call')]);
      expect(replayed.map((o) => o.ok && o.created)).toEqual([false, false, true]);
      const again = await out.writeActivities(context(), [...batch, activity(person, deal, 'call')]);
      expect(again.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      const d = await dump();
      expect(d.notes).toHaveLength(1);
      expect(d.activities!.map((a) => a.type).sort()).toEqual(['call', 'task']);
      expect(d.activities!.find((a) => a.type === 'task')).toMatchObject({ due_date: '2026-11-22', due_time: null });
    });

    it('notes and activities no earlier attempt wrote are created without listing the person\'s; a retry still lists them', async () => {
      const { person, deal } = await setup();
      const urls: string[] = [];
      const batch = [activity(person, deal, 'note', { maybeWritten: false }), activity(person, deal, 'task', { maybeWritten: false })];
      const first = await out.writeActivities(context({ urls }), batch);
      expect(first.map((o) => o.ok && o.created)).toEqual([true, true]);
      expect(urls).toEqual(['POST /sandbox/pipedrive/api/v1/notes', 'POST /sandbox/pipedrive/api/v2/activities']);
      urls.length = 0;
      const again = await out.writeActivities(context({ urls }), batch.map((a) => ({ ...a, maybeWritten: true })));
      expect(again.map((o) => o.ok && !o.created && o.ref.id)).toEqual(first.map((o) => o.ok && o.ref.id));
      expect(urls.every((u) => u.startsWith('GET'))).toBe(true);
    });

    it('a grown record (replaces) is rewritten in place, not created again', async () => {
      const { ctx, person } = await setup();
      const [first] = await out.writeActivities(ctx, [activity(person, undefined, 'transcript', { body: 'Hi' })]);
      const [grown] = await out.writeActivities(ctx, [activity(person, undefined, 'transcript', { body: 'Hi\nHello again', replaces: okRef(first) })]);
      expect(grown).toMatchObject({ ok: true, created: false, ref: okRef(first) });
      const notes = (await dump()).notes!;
      expect(notes).toHaveLength(1);
      expect(notes[0]!.content).toBe('<p><b>The transcript</b></p><p>Hi<br>Hello again</p><p>[crm-sync:conv-1:transcript]</p>');
    });

    it('an activity about something that is not a person fails alone', async () => {
      const { ctx, person } = await setup();
      const [bad, good] = await out.writeActivities(ctx, [activity({ object: 'organization', id: '1' }, undefined, 'note'), activity(person, undefined, 'task', { key: 'k2' })]);
      expect(failure(bad).kind).toBe('invalid');
      expect(good).toMatchObject({ ok: true, created: true });
    });
  });
});

/**
 * Through the shared resilient http (retries, rate budget) with 5xx, timeouts after commit and
 * search lag injected, replaying what failed as the engine does: the final state is exact.
 */
describe.each(TEST_DIALECTS)('Pipedrive outbound under faults, through the resilient http, on %s', (dialect) => {
  let h: ConnectorHarness;
  let t: TestStore;

  beforeAll(async () => {
    h = await startFor('pipedrive');
    t = await openTestStore(dialect);
  });
  afterAll(async () => {
    await h.sb.close();
    await t.cleanup();
  });

  it('leaves exactly one person per client, one organization, and each note and task once', async () => {
    const target: ConnectionTarget = { baseUrl: h.account.baseUrl };
    const credentials: Credentials = { method: 'api_key', apiKey: String(h.account.credentials.apiToken) };
    const http = connectionHttp({
      crm: 'pipedrive',
      base: createCrmHttp({ timeoutMs: 300 }),
      credentials: async () => ({ headers: pd.authHeaders(credentials, target) }),
      budget: new RateBudget({ crm: 'pipedrive', connectionId: `pd-faults-${dialect}`, quota: storedDailyQuota(t.store.db), dailyLimit: null }),
      classify: (res) => (res.status === 401 || res.status === 429 || res.status >= 500 ? failureByStatus('pipedrive')(res) : undefined),
      backoff: { baseMs: 5, capMs: 20 },
    });
    const ctx = { http, apiBase: pd.apiBase(target), target, cache: new Map() } as unknown as OutboundContext;
    const settings = (patch: Record<string, unknown>) =>
      fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'pipedrive', ...patch }) });
    await settings({ errorRate: 0.15, timeoutRate: 0.25, timeoutDelayMs: 600, searchLagMs: 2000 });

    const contacts: CanonicalContact[] = Array.from({ length: 8 }, (_, i) => ({
      clientId: `f-${i}`,
      firstName: `Client ${i}`,
      emails: [`f${i}@faults.test`],
      phones: [],
      company: i % 2 ? 'Acme' : undefined,
      fallbackName: `f-${i}`,
      properties: {},
    }));
    const refs = new Map<string, CrmRef>();
    for (let round = 0; refs.size < contacts.length && round < 40; round++) {
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
    for (let round = 0; done.size < activities.length && round < 40; round++) {
      const pending = activities.filter((a) => !done.has(a.key));
      for (let i = 0; i < pending.length; i += out.batchSize) {
        const batch = pending.slice(i, i + out.batchSize);
        (await out.writeActivities(ctx, batch)).forEach((o, j) => o.ok && done.add(batch[j]!.key));
      }
    }
    expect(done.size).toBe(activities.length);

    await settings({ errorRate: 0, timeoutRate: 0, searchLagMs: 0 });
    const d = ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=pipedrive`)).json()) as { pipedrive: Record<string, Record<string, unknown>[]> }).pipedrive;
    expect(d.persons!.map((p) => p.name).sort()).toEqual(contacts.map((c) => c.firstName).sort());
    expect(d.organizations!.filter((o) => o.name === 'Acme')).toHaveLength(1);
    expect(d.notes!.map((n) => n.person_id).sort()).toEqual([...refs.values()].map((r) => Number(r.id)).sort());
    expect(d.activities!.map((a) => a.person_id).sort()).toEqual([...refs.values()].map((r) => Number(r.id)).sort());
  }, 60_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamicsConnection as dyn } from '../../src/connectors/dynamics/connection.js';
import { dynamicsOutbound as out } from '../../src/connectors/dynamics/outbound.js';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import type { CanonicalActivity, CanonicalCompany, CanonicalContact, CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { http, startFor, type ConnectorHarness } from './support.js';

type Row = Record<string, unknown>;

describe('Dynamics 365 outbound connector against the sandbox', () => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('dynamics');
    target = { baseUrl: h.account.baseUrl, instanceUrl: h.account.baseUrl, tenantId: String(h.account.credentials.tenantId) };
  });
  // A reset forgets issued tokens too, so each test takes a new one.
  beforeEach(async () => {
    await h.reset();
    const service = { clientId: String(h.account.credentials.clientId), clientSecret: String(h.account.credentials.clientSecret) };
    const token = await dyn.serviceToken!({ http, target, ...service });
    credentials = { method: 'service', ...service, accessToken: token.accessToken };
  });
  afterAll(() => h.sb.close());

  /**
   * What the engine hands a connector, with a plain authenticated http (no retries), for a
   * connection that chose leads for new clients (most tests here follow a lead).
   */
  const context = (options: { timeoutMs?: number; urls?: string[]; bodies?: string[]; module?: string } = {}): OutboundContext => {
    const plain = createCrmHttp(options);
    const http: CrmHttp = (req) => {
      options.urls?.push(req.url);
      if (req.body !== undefined) options.bodies?.push(String(req.body));
      return plain({ ...req, headers: { ...dyn.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: dyn.apiBase(target), target, cache: new Map(), destination: { leadSourceValue: 'crm-sync', module: options.module ?? 'lead' } };
  };
  /** A connection where new clients become contacts, as they do when nothing is chosen. */
  const asContacts = (options: { timeoutMs?: number; urls?: string[] } = {}) => context({ ...options, module: 'contact' });
  const api = (path: string) => `${dyn.apiBase(target)}/${path}`;
  const create = async (set: string, values: Row): Promise<string> => {
    const res = await context().http({ method: 'POST', url: api(set), body: values });
    expect(res.status).toBe(204);
    return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string;
  };
  const rows = async (set: string, query: Record<string, string> = {}) => {
    const res = await context().http({ url: api(set), query });
    expect(res.status).toBe(200);
    return (res.body as { value: Row[] }).value;
  };
  const settings = (patch: Row) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'dynamics', ...patch }) });
  const requests = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/stats`)).json()) as { dynamics: { requests: number } }).dynamics.requests;
  const contacts = () => rows('contacts', { $select: 'contactid,firstname,lastname,emailaddress1,telephone1,mobilephone,jobtitle,address1_city,cs_crmsyncid,cs_qualification,_parentcustomerid_value,_ownerid_value', $orderby: 'cs_crmsyncid' });

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

  describe('contacts (a connection whose new clients become contacts)', () => {
    it('creates a contact for a new client, named by the fallback when unknown, with its company as an account', async () => {
      const [nameless, named] = await out.upsertContacts(asContacts(), [
        { contact: client(1, { emails: [], phones: ['+34600111222', '+34600333444'], properties: { cs_qualification: 100000002 } }), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'García', company: 'Acme', address: { city: 'Madrid' } }), allowCreate: true },
      ]);
      expect(nameless).toMatchObject({ ok: true, created: true, ref: { object: 'contacts' } });
      expect(named).toMatchObject({ ok: true, created: true, ref: { object: 'contacts' } });
      const [a, b] = await contacts();
      expect(a).toMatchObject({ contactid: okRef(nameless).id, firstname: null, lastname: 'New WhatsApp contact: +34600000001', telephone1: '+34600111222', mobilephone: '+34600333444', cs_qualification: 100000002, cs_crmsyncid: 'client-1' });
      const [acme] = await rows('accounts', { $select: 'accountid,name', $filter: "name eq 'Acme'" });
      expect(b).toMatchObject({ firstname: 'Ana', lastname: 'García', emailaddress1: 'person2@example.test', address1_city: 'Madrid', _parentcustomerid_value: acme?.accountid });
    });

    it("contacts' company names are looked up in one query and the missing accounts created in one $batch", async () => {
      const acme = await create('accounts', { name: 'Acme 0' });
      const urls: string[] = [];
      const outcomes = await out.upsertContacts(asContacts({ urls }), Array.from({ length: 60 }, (_, n) => ({ contact: client(n, { company: `ACME ${n}` }), allowCreate: true })));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(urls).toEqual([api('accounts'), api('$batch'), api('$batch')]);
      expect(await rows('accounts', { $select: 'accountid' })).toHaveLength(60);
      expect((await contacts())[0]).toMatchObject({ cs_crmsyncid: 'client-0', _parentcustomerid_value: acme });
    });

    it('upserting the same client twice leaves one contact, the second time an update', async () => {
      const first = await out.upsertContacts(asContacts(), [{ contact: client(1, { company: 'Acme' }), allowCreate: true }]);
      const second = await out.upsertContacts(asContacts(), [{ contact: client(1, { lastName: 'Later', company: 'Acme' }), allowCreate: true }]);
      expect(second[0]).toMatchObject({ ok: true, created: false, ref: okRef(first[0]) });
      expect((await contacts()).map((c) => c.lastname)).toEqual(['Later']);
      expect(await rows('accounts', { $filter: "name eq 'Acme'" })).toHaveLength(1);
    });

    it('a $batch that timed out after Dynamics saved it is replayed as an update, also under search lag', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(asContacts({ timeoutMs: 500 }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      expect(await contacts()).toHaveLength(1); // committed, though we never heard

      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const ctx = asContacts();
      const matched = await out.matchContacts(ctx, [client(1)]);
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1), existing: matched.get('client-1'), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      // And blindly, without matching first: the alternate key finds it.
      const [blind] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
      expect(blind).toMatchObject({ ok: true, created: false, ref: okRef(replayed) });
      expect(await contacts()).toHaveLength(1);
    });

    it('an update sends only what we know: Dynamics keeps the columns we lack', async () => {
      const id = await create('contacts', { firstname: 'Bea', lastname: 'Old', emailaddress1: 'Bea@Example.test', telephone1: '+34911000000', jobtitle: 'CFO', address1_city: 'Sevilla' });
      const ctx = asContacts();
      const ref = (await out.matchContacts(ctx, [client(7, { emails: ['bea@example.test'] })])).get('client-7');
      expect(ref).toEqual({ object: 'contacts', id });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { emails: ['bea@example.test'], lastName: 'New' }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref: { object: 'contacts', id } });
      expect((await contacts())[0]).toMatchObject({ firstname: 'Bea', lastname: 'New', emailaddress1: 'bea@example.test', telephone1: '+34911000000', jobtitle: 'CFO', address1_city: 'Sevilla', cs_crmsyncid: null });
    });

    it('does not recreate a matched contact that was deleted, and an update-only connection creates nothing', async () => {
      const [gone] = await out.upsertContacts(asContacts(), [{ contact: client(1), existing: { object: 'contacts', id: '00000000-0000-0000-0000-000000000001' }, allowCreate: true }]);
      expect(failure(gone).kind).toBe('not_found');
      const [skipped] = await out.upsertContacts(asContacts(), [{ contact: client(2), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await contacts()).toHaveLength(0);
    });

    it('writes a batch in one $batch; a bad choice value or unknown column fails only its own record, naming column and value', async () => {
      const before = await requests();
      const outcomes = await out.upsertContacts(
        asContacts(),
        [1, 2, 3, 4, 5].map((n) => ({
          contact: client(n, { properties: n === 2 ? { cs_qualification: 7 } : n === 4 ? { cs_nosuch: 'x' } : { cs_qualification: 100000001 } }),
          allowCreate: true,
        })),
      );
      expect((await requests()) - before).toBe(1);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('cs_qualification = 7 on contacts') });
      expect(failure(outcomes[3])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('cs_nosuch = "x" on contacts') });
      expect((await contacts()).map((c) => c.cs_crmsyncid)).toEqual(['client-1', 'client-3', 'client-5']);
    });

    it('splits more than 100 records into $batches of 100, and escapes quotes in keys', async () => {
      const before = await requests();
      const outcomes = await out.upsertContacts(asContacts(), Array.from({ length: 250 }, (_, n) => ({ contact: client(n, n === 0 ? { clientId: "o'brien" } : {}), allowCreate: true })));
      expect(outcomes.every((o) => o.ok && o.created)).toBe(true);
      expect((await requests()) - before).toBe(3);
      expect(await contacts()).toHaveLength(250);
      expect((await out.matchContacts(context(), [client(0, { clientId: "o'brien", emails: [] })])).get("o'brien")).toEqual(okRef(outcomes[0]));
    });
  });

  describe('matching a shared phone', () => {
    it('a record found only by phone is the client’s only when it has no e-mail or one of the client’s', async () => {
      await create('contacts', { lastname: 'Zoe', emailaddress1: 'zoe@other.test', telephone1: '+34600333444' });
      const noEmail = await create('contacts', { lastname: 'Eve', mobilephone: '+34600555666' });
      const sameEmail = await create('contacts', { lastname: 'Hal', emailaddress2: 'hal@other.test', telephone1: '+34600777888' });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['dan@example.test'], phones: ['+34600333444'] }),
        client(2, { emails: [], phones: ['+34600333444'] }),
        client(3, { emails: ['eve@example.test'], phones: ['+34600555666'] }),
        client(4, { emails: ['hal@other.test'], phones: ['+34600777888'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({ 'client-3': { object: 'contacts', id: noEmail }, 'client-4': { object: 'contacts', id: sameEmail } });
    });
  });

  describe('matching', () => {
    it('finds by our key or e-mail whatever the case, then by phone on telephone1 or mobilephone', async () => {
      const byEmail = await create('contacts', { lastname: 'Email', emailaddress1: 'Both@Example.test', telephone1: '+33612345678' });
      const byMobile = await create('contacts', { lastname: 'Mobile', mobilephone: '+34600111222' });
      const byPhone = await create('contacts', { lastname: 'Phone', telephone1: '+4930123456' });
      const ours = await create('contacts', { lastname: 'Ours', cs_crmsyncid: 'client-5' });
      const inactive = await create('contacts', { lastname: 'Inactive', emailaddress1: 'old@example.test' });
      await context().http({ method: 'PATCH', url: api(`contacts(${inactive})`), body: { statecode: 1, statuscode: 2 } });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['both@example.test'], phones: ['+4930123456'] }),
        client(3, { emails: [], phones: ['+34600111222'] }),
        client(4, { emails: ['unknown@example.test'], phones: ['+4930123456'] }),
        client(5, { emails: ['changed@example.test'] }),
        client(6, { emails: ['old@example.test'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'client-1': { object: 'contacts', id: byEmail },
        'client-3': { object: 'contacts', id: byMobile },
        'client-4': { object: 'contacts', id: byPhone },
        'client-5': { object: 'contacts', id: ours },
      });
    });

    it('asks for long lists in one call: queries within URL limits, together in one $batch, finding every client', async () => {
      const many = 400;
      const extra = (n: number) => ({ emails: [`person${n}@example.test`, `second.address.${n}@example.test`], phones: [`+3460${String(n).padStart(7, '0')}`] });
      await out.upsertContacts(asContacts(), Array.from({ length: 200 }, (_, n) => ({ contact: client(n, { clientId: `other-${n}`, ...extra(n) }), allowCreate: true })));
      await out.upsertContacts(context(), Array.from({ length: 200 }, (_, n) => ({ contact: client(n + 200, { clientId: `other-${n + 200}`, ...extra(n + 200), emails: [] }), allowCreate: true })));
      const urls: string[] = [];
      const wanted = Array.from({ length: many }, (_, n) => client(n, { ...extra(n), emails: extra(n).emails.map((e) => e.toUpperCase()) }));
      const found = await out.matchContacts(context({ urls }), wanted);
      expect(found.size).toBe(many);
      expect(new Set([...found.values()].map((r) => r.object))).toEqual(new Set(['contacts', 'leads']));
      expect(found.get('client-0')?.object).toBe('contacts');
      expect(found.get('client-399')?.object).toBe('leads');
      expect(urls).toEqual([api('$batch')]);
    });

    it('no query compares more than 1,000 values, however short (SQL Server takes 2,100 parameters)', async () => {
      const bodies: string[] = [];
      const keys = Array.from({ length: 2500 }, (_, n) => client(n, { clientId: `k${n}`, emails: [] }));
      expect((await out.matchContacts(context({ bodies }), keys)).size).toBe(0);
      expect(bodies).toHaveLength(1);
      const lists = [...decodeURIComponent(bodies[0] as string).matchAll(/PropertyValues=\[([^\]]*)\]/g)].map((m) => (m[1] as string).split(',').length);
      expect(lists.length).toBe(6); // three runs, each on contacts and leads
      expect(Math.max(...lists)).toBeLessThanOrEqual(1000);
      expect(lists.reduce((a, b) => a + b, 0)).toBe(5000);
    });

    it('a short list is one query on contacts and one on leads, together in one $batch', async () => {
      const urls: string[] = [];
      expect((await out.matchContacts(context({ urls }), [client(1)])).size).toBe(0);
      expect(urls).toEqual([api('$batch')]);
    });
  });

  describe('leads (what a new client becomes when the connection chooses them)', () => {
    const leads = () => rows('leads', { $select: 'leadid,subject,firstname,lastname,companyname,emailaddress1,emailaddress2,telephone1,mobilephone,cs_crmsyncid,cs_qualification,statecode', $orderby: 'cs_crmsyncid' });

    it('creates a lead with topic, last name and company name even when unknown, and no account', async () => {
      const [nameless, named] = await out.upsertContacts(context(), [
        { contact: client(1, { emails: [], phones: ['+34600111222', '+34600333444'] }), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'García', company: 'Acme', emails: ['a@x.test', 'b@x.test'], leadSource: 'crm-sync' }), allowCreate: true },
      ]);
      expect(nameless).toMatchObject({ ok: true, created: true, ref: { object: 'leads' } });
      expect(named).toMatchObject({ ok: true, created: true, ref: { object: 'leads' } });
      expect(await leads()).toMatchObject([
        { leadid: okRef(nameless).id, subject: 'crm-sync: New WhatsApp contact: +34600000001', firstname: null, lastname: 'New WhatsApp contact: +34600000001', companyname: '[not provided]', telephone1: '+34600111222', mobilephone: '+34600333444', cs_crmsyncid: 'client-1' },
        { leadid: okRef(named).id, subject: 'crm-sync: Ana García', firstname: 'Ana', lastname: 'García', companyname: 'Acme', emailaddress1: 'a@x.test', emailaddress2: 'b@x.test', cs_crmsyncid: 'client-2' },
      ]);
      expect(await contacts()).toHaveLength(0);
      expect(await rows('accounts')).toHaveLength(0);
    });

    it('a lead whose $batch timed out after Dynamics saved it is replayed as an update: one lead', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context({ timeoutMs: 500 }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      expect(await leads()).toHaveLength(1);
      await settings({ timeoutRate: 0 });
      const ctx = context();
      const matched = await out.matchContacts(ctx, [client(1)]);
      expect(matched.get('client-1')?.object).toBe('leads');
      // Blindly, without matching first, the alternate key finds it; then an update through the match.
      const [blind] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
      expect(blind).toMatchObject({ ok: true, created: false, ref: matched.get('client-1') });
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1, { lastName: 'Known' }), existing: matched.get('client-1'), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false, ref: matched.get('client-1') });
      // The update renamed the person but left the topic the lead was created with.
      expect(await leads()).toMatchObject([{ lastname: 'Known', subject: 'crm-sync: New WhatsApp contact: +34600000001' }]);
    });

    it('matches contacts before leads, by key, any of three e-mails, or phone; only open leads', async () => {
      const contact = await create('contacts', { lastname: 'Contact', emailaddress3: 'Shared@Example.test' });
      await create('leads', { subject: 'x', lastname: 'Lead twin', emailaddress1: 'shared@example.test' });
      const byEmail2 = await create('leads', { subject: 'x', lastname: 'Lead 2', emailaddress2: 'second@example.test' });
      const byMobile = await create('leads', { subject: 'x', lastname: 'Lead mobile', mobilephone: '+34600999888' });
      const ours = await create('leads', { subject: 'x', lastname: 'Ours', cs_crmsyncid: 'client-4' });
      const qualified = await create('leads', { subject: 'x', lastname: 'Qualified', emailaddress1: 'done@example.test' });
      await context().http({ method: 'PATCH', url: api(`leads(${qualified})`), body: { statecode: 1, statuscode: 3 } });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['shared@example.test'] }),
        client(2, { emails: ['SECOND@example.test'] }),
        client(3, { emails: [], phones: ['+34600999888'] }),
        client(4, { emails: ['new@example.test'] }),
        client(5, { emails: ['done@example.test'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'client-1': { object: 'contacts', id: contact },
        'client-2': { object: 'leads', id: byEmail2 },
        'client-3': { object: 'leads', id: byMobile },
        'client-4': { object: 'leads', id: ours },
      });
    });

    it('updates a matched contact (no lead made) and a matched lead in the same batch, only with what we know', async () => {
      const contact = await create('contacts', { lastname: 'Old', emailaddress1: 'c@example.test', jobtitle: 'CFO' });
      const lead = await create('leads', { subject: 'Typed by a rep', lastname: 'Old', companyname: 'Typed Inc', emailaddress1: 'l@example.test' });
      const [c, l] = await out.upsertContacts(context(), [
        { contact: client(1, { emails: ['c@example.test'], lastName: 'New', company: 'Acme' }), existing: { object: 'contacts', id: contact }, allowCreate: true },
        { contact: client(2, { emails: ['l@example.test'], lastName: 'New' }), existing: { object: 'leads', id: lead }, allowCreate: true },
      ]);
      expect(c).toMatchObject({ ok: true, created: false, ref: { object: 'contacts', id: contact } });
      expect(l).toMatchObject({ ok: true, created: false, ref: { object: 'leads', id: lead } });
      expect(await contacts()).toMatchObject([{ contactid: contact, lastname: 'New', jobtitle: 'CFO' }]);
      expect(await leads()).toMatchObject([{ leadid: lead, lastname: 'New', subject: 'Typed by a rep', companyname: 'Typed Inc', cs_crmsyncid: null }]);
    });

    it('mapped columns a matched lead lacks are left out for it, and sent to contacts', async () => {
      const lead = await create('leads', { subject: 'x', lastname: 'Lead', emailaddress1: 'l@example.test' });
      const properties = { birthdate: '1990-01-02', cs_leadscore: 40 };
      const [l, c] = await out.upsertContacts(asContacts(), [
        { contact: client(1, { emails: ['l@example.test'], properties }), existing: { object: 'leads', id: lead }, allowCreate: true },
        { contact: client(2, { properties }), allowCreate: true },
      ]);
      expect([l?.ok, c?.ok]).toEqual([true, true]);
      expect((await rows('leads', { $select: 'cs_leadscore' }))[0]).toMatchObject({ cs_leadscore: 40 });
      expect((await rows('contacts', { $select: 'birthdate,cs_leadscore' }))[0]).toMatchObject({ birthdate: '1990-01-02', cs_leadscore: 40 });
    });

    it('an unknown destination module fails every record, naming the setting', async () => {
      const outcomes = await out.upsertContacts(context({ module: 'Accounts' }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(outcomes[0])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('destination module must be "lead" or "contact"') });
      expect(await leads()).toHaveLength(0);
    });

    it('notes, tasks, phone calls and appointments regard the lead; a replay writes nothing twice', async () => {
      const [made] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const lead = okRef(made);
      const at = '2024-05-02T10:00:00Z';
      const batch: CanonicalActivity[] = (['note', 'task', 'call', 'meeting'] as const).map((kind) => ({ key: `${kind}-1`, kind, contact: lead, subject: kind, body: `About ${kind}`, occurredAt: at, endAt: '2024-05-02T10:15:00Z' }));
      const first = await out.writeActivities(context(), batch);
      expect(first.map((o) => o.ok && o.created)).toEqual([true, true, true, true]);
      expect(await rows('annotations', { $select: '_objectid_value,objecttypecode' })).toMatchObject([{ _objectid_value: lead.id, objecttypecode: 'lead' }]);
      for (const set of ['tasks', 'phonecalls', 'appointments']) {
        expect(await rows(set, { $select: '_regardingobjectid_value,cs_crmsyncid' }), set).toMatchObject([{ _regardingobjectid_value: lead.id }]);
      }
      const again = await out.writeActivities(context(), batch);
      expect(again.map((o) => o.ok && !o.created)).toEqual([true, true, true, true]);
      expect((await rows('annotations')).length + (await rows('tasks')).length + (await rows('phonecalls')).length + (await rows('appointments')).length).toBe(4);
    });

    it('describes the lead columns for field mappings when new clients become leads', async () => {
      const names = (await out.describeContactProperties(context())).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['subject', 'companyname', 'cs_qualification', 'emailaddress3']));
      expect(names).not.toContain('birthdate');
    });
  });

  describe('activities', () => {
    const at = '2024-05-02T10:00:00Z';
    const activity = (key: string, kind: CanonicalActivity['kind'], contact: CrmRef, extra: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key,
      kind,
      contact,
      subject: `${kind} ${key}`,
      body: `Body of ${key}`,
      occurredAt: at,
      ...extra,
    });
    const person = async () => ({ object: 'contacts', id: await create('contacts', { lastname: 'Ana' }) });

    it('writes notes as annotations, tasks, phone calls and appointments regarding the contact, in one $batch', async () => {
      const contact = await person();
      const ctx = context();
      const before = await requests();
      const outcomes = await out.writeActivities(ctx, [
        activity('n1', 'note', contact),
        activity('t1', 'task', contact, { dueAt: '2024-05-09T09:00:00Z' }),
        activity('c1', 'call', contact, { endAt: '2024-05-02T10:30:00Z' }),
        activity('m1', 'meeting', contact, { endAt: '2024-05-02T11:00:00Z' }),
        activity('x1', 'transcript', contact),
      ]);
      expect(outcomes.map((o) => o.ok && o.created)).toEqual([true, true, true, true, true]);
      expect(outcomes.map((o) => okRef(o).object)).toEqual(['annotations', 'tasks', 'phonecalls', 'appointments', 'annotations']);
      expect((await requests()) - before).toBe(2); // one $batch reading annotations and the three activity tables, one creating
      const notes = await rows('annotations', { $select: 'subject,notetext,_objectid_value', $orderby: 'subject' });
      expect(notes).toMatchObject([
        { subject: 'note n1', notetext: 'Body of n1\n\n[crm-sync:n1]', _objectid_value: contact.id },
        { subject: 'transcript x1', notetext: 'Body of x1\n\n[crm-sync:x1]', _objectid_value: contact.id },
      ]);
      expect((await rows('tasks', { $select: 'subject,scheduledend,_regardingobjectid_value,cs_crmsyncid' }))[0]).toMatchObject({ subject: 'task t1', scheduledend: '2024-05-09T09:00:00Z', _regardingobjectid_value: contact.id, cs_crmsyncid: 't1' });
      expect((await rows('phonecalls', { $select: 'subject,actualdurationminutes,scheduledstart' }))[0]).toMatchObject({ subject: 'call c1', actualdurationminutes: 30, scheduledstart: at });
      expect((await rows('appointments', { $select: 'subject,scheduledstart,scheduledend' }))[0]).toMatchObject({ scheduledstart: at, scheduledend: '2024-05-02T11:00:00Z' });
    });

    it('a replay writes nothing twice, also after a $batch whose answer was lost', async () => {
      const contact = await person();
      const batch = [activity('n1', 'note', contact), activity('t1', 'task', contact), activity('c1', 'call', contact), activity('n1', 'note', contact)];
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      // The first attempt knows nothing was written before, so it creates without reading back.
      const lost = await out.writeActivities(context({ timeoutMs: 500 }), batch.map((a) => ({ ...a, maybeWritten: false })));
      expect(lost.map((o) => o.ok)).toEqual([false, false, false, false]);
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      for (const maybeWritten of [true, undefined]) {
        const replay = await out.writeActivities(context(), batch.map((a) => ({ ...a, maybeWritten })));
        expect(replay.map((o) => o.ok && o.created)).toEqual([false, false, false, false]);
      }
      expect(await rows('annotations')).toHaveLength(1);
      expect(await rows('tasks')).toHaveLength(1);
      expect(await rows('phonecalls')).toHaveLength(1);
    });

    it('activities no earlier attempt wrote are created without reading back: one call', async () => {
      const contact = await person();
      const before = await requests();
      const fresh = [activity('n1', 'note', contact), activity('t1', 'task', contact), activity('c1', 'call', contact)].map((a) => ({ ...a, maybeWritten: false }));
      expect((await out.writeActivities(context(), fresh)).map((o) => o.ok && o.created)).toEqual([true, true, true]);
      expect((await requests()) - before).toBe(1);
      // Mixed with one that may have been written: only that one is looked for, and found.
      const again = await out.writeActivities(context(), [activity('t2', 'task', contact, { maybeWritten: false }), activity('t1', 'task', contact, { maybeWritten: true })]);
      expect(again.map((o) => o.ok && o.created)).toEqual([true, false]);
      expect((await requests()) - before).toBe(3);
      expect((await rows('tasks', { $select: 'cs_crmsyncid', $orderby: 'cs_crmsyncid' })).map((r) => r.cs_crmsyncid)).toEqual(['t1', 't2']);
    });

    it('a bad activity fails alone', async () => {
      const contact = await person();
      const outcomes = await out.writeActivities(context(), [
        activity('t1', 'task', contact),
        activity('t2', 'task', contact, { ownerId: '00000000-0000-0000-0000-00000000beef' }),
        activity('n1', 'note', { object: 'contacts', id: '00000000-0000-0000-0000-000000000001' }),
        activity('t3', 'call', contact),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true]);
      expect(failure(outcomes[1]).message).toContain('ownerid@odata.bind');
    });
  });

  describe('companies (accounts) and opportunities on request', () => {
    const company = (n: number, extra: Partial<CanonicalCompany> = {}): CanonicalCompany => ({ companyId: `co-${n}`, name: `Company ${n}`, properties: {}, ...extra });
    const accounts = () => rows('accounts', { $select: 'accountid,name,accountnumber,websiteurl,cs_crmsyncid', $orderby: 'name' });
    const opportunities = () => rows('opportunities', { $select: 'opportunityid,name,estimatedvalue,estimatedclosedate,_customerid_value,_parentcontactid_value,_parentaccountid_value,cs_crmsyncid' });

    it('matches accounts by our key or account number, then by website domain; inactive ones are not matched', async () => {
      const ours = await create('accounts', { name: 'Ours', cs_crmsyncid: 'co-1' });
      const numbered = await create('accounts', { name: 'Numbered', accountnumber: 'ACC-42' });
      const site = await create('accounts', { name: 'Site', websiteurl: 'https://www.Acme.io/about' });
      await create('accounts', { name: 'Not acme', websiteurl: 'https://notacme.io' });
      const closed = await create('accounts', { name: 'Closed', websiteurl: 'https://gone.test' });
      await context().http({ method: 'PATCH', url: api(`accounts(${closed})`), body: { statecode: 1, statuscode: 2 } });
      const found = await out.matchCompanies!(context(), [
        company(1, { domain: 'acme.io' }),
        company(2, { externalAccountId: 'ACC-42', domain: 'acme.io' }),
        company(3, { domain: 'acme.io' }),
        company(4, { domain: 'gone.test' }),
        company(5, { domain: 'other.test' }),
      ]);
      expect(Object.fromEntries(found)).toEqual({ 'co-1': { object: 'accounts', id: ours }, 'co-2': { object: 'accounts', id: numbered }, 'co-3': { object: 'accounts', id: site } });
    });

    it('matches many companies in two calls: their keys and numbers in one $batch, their domains in another', async () => {
      const ours = await create('accounts', { name: 'Ours', cs_crmsyncid: 'co-0' });
      const site = await create('accounts', { name: 'Site', websiteurl: 'https://site59.test' });
      const urls: string[] = [];
      const found = await out.matchCompanies!(context({ urls }), Array.from({ length: 60 }, (_, n) => company(n, { domain: `site${n}.test` })));
      expect(Object.fromEntries(found)).toEqual({ 'co-0': { object: 'accounts', id: ours }, 'co-59': { object: 'accounts', id: site } });
      expect(urls).toEqual([api('$batch'), api('$batch')]);
    });

    it('creates accounts keyed by our company id, once also after a lost answer, and updates matched ones with what we know', async () => {
      const typed = await create('accounts', { name: 'Typed', telephone1: '+34911000000' });
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.upsertCompanies!(context({ timeoutMs: 500 }), [{ company: company(1, { name: undefined, domain: 'acme.io', externalAccountId: 'ACC-1' }), allowCreate: true }]);
      expect(failure(lost[0]).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0 });
      const [replayed, updated, skipped] = await out.upsertCompanies!(context(), [
        { company: company(1, { name: undefined, domain: 'acme.io', externalAccountId: 'ACC-1' }), allowCreate: true },
        { company: company(2, { name: 'Renamed' }), existing: { object: 'accounts', id: typed }, allowCreate: true },
        { company: company(3), allowCreate: false },
      ]);
      expect(replayed).toMatchObject({ ok: true, created: false, ref: { object: 'accounts' } });
      expect(updated).toMatchObject({ ok: true, created: false, ref: { object: 'accounts', id: typed } });
      expect(failure(skipped).kind).toBe('not_found');
      expect(await accounts()).toMatchObject([
        { accountid: okRef(replayed).id, name: 'acme.io', accountnumber: 'ACC-1', websiteurl: 'https://acme.io', cs_crmsyncid: 'co-1' },
        { accountid: typed, name: 'Renamed', cs_crmsyncid: null },
      ]);
    });

    it('a client carrying its synced company is linked to that account: a contact as parent customer, a lead as existing account', async () => {
      const [acct] = await out.upsertCompanies!(context(), [{ company: company(1, { name: 'Acme' }), allowCreate: true }]);
      const companyRef = okRef(acct);
      await out.upsertContacts(asContacts(), [{ contact: client(1, { company: 'Acme', companyRef }), allowCreate: true }]);
      await out.upsertContacts(context(), [{ contact: client(2, { company: 'Acme', companyRef }), allowCreate: true }]);
      expect((await contacts())[0]).toMatchObject({ _parentcustomerid_value: companyRef.id });
      expect((await rows('leads', { $select: 'companyname,_parentaccountid_value' }))[0]).toMatchObject({ companyname: 'Acme', _parentaccountid_value: companyRef.id });
      expect(await accounts()).toHaveLength(1);
    });

    it('creates an opportunity for a contact once per key, also after a lost answer, keeping what a salesperson changed', async () => {
      const contact = { object: 'contacts', id: await create('contacts', { lastname: 'Buyer' }) };
      const account = { object: 'accounts', id: await create('accounts', { name: 'Buyer Inc' }) };
      const deal: CanonicalDeal = { key: 'deal-1', contact, company: account, title: '50 seats', amount: 50000, currency: 'EUR', closeDate: '2026-12-31' };
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.createDeal!(context({ timeoutMs: 500 }), deal);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0 });
      const [made] = await opportunities();
      expect(made).toMatchObject({ name: '50 seats', estimatedvalue: 50000, estimatedclosedate: '2026-12-31', _customerid_value: contact.id, _parentcontactid_value: contact.id, _parentaccountid_value: account.id, cs_crmsyncid: 'deal-1' });
      await context().http({ method: 'PATCH', url: api(`opportunities(${String(made!.opportunityid)})`), body: { name: 'Renamed by sales' } });
      const replay = await out.createDeal!(context(), deal);
      expect(replay).toEqual({ ok: true, created: false, ref: { object: 'opportunities', id: made!.opportunityid } });
      expect(await opportunities()).toMatchObject([{ name: 'Renamed by sales' }]);
      expect(await out.findOpenDeal(context(), contact)).toEqual({ object: 'opportunities', id: made!.opportunityid });
      const second = await out.createDeal!(context(), { ...deal, key: 'deal-2', title: 'Upsell', company: undefined, amount: undefined, closeDate: undefined });
      expect(second).toMatchObject({ ok: true, created: true });
      expect(await opportunities()).toHaveLength(2);
    });

    it('refuses an opportunity for a lead, saying to qualify it first', async () => {
      const lead = { object: 'leads', id: await create('leads', { subject: 'x', lastname: 'Lead' }) };
      const outcome = await out.createDeal!(context(), { key: 'deal-9', contact: lead, title: 'Deal' });
      expect(failure(outcome)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('qualify the lead into a contact first') });
      expect(await opportunities()).toHaveLength(0);
    });
  });

  describe('owners, opportunities, properties', () => {
    it('finds users by primary e-mail, whatever the case, listing the users once for every e-mail', async () => {
      const [rep] = await rows('systemusers', { $select: 'systemuserid', $filter: "internalemailaddress eq 'sales.rep@sandbox.crm-sync.test'" });
      const [admin] = await rows('systemusers', { $select: 'systemuserid', $filter: "internalemailaddress eq 'admin@sandbox.crm-sync.test'" });
      const ctx = context();
      const before = await requests();
      expect(await out.findOwnerByEmail(ctx, ' Sales.Rep@Sandbox.crm-sync.test ')).toBe(rep?.systemuserid);
      expect(await out.findOwnerByEmail(ctx, 'ADMIN@sandbox.crm-sync.test')).toBe(admin?.systemuserid);
      expect(await out.findOwnerByEmail(ctx, 'nobody@sandbox.crm-sync.test')).toBeUndefined();
      expect((await requests()) - before).toBe(1);
    });

    it("finds a contact's open opportunity, not a closed one", async () => {
      const contact = { object: 'contacts', id: await create('contacts', { lastname: 'Buyer' }) };
      const won = await create('opportunities', { name: 'Won', 'parentcontactid@odata.bind': `/contacts(${contact.id})` });
      await context().http({ method: 'PATCH', url: api(`opportunities(${won})`), body: { statecode: 1, statuscode: 3 } });
      expect(await out.findOpenDeal(context(), contact)).toBeUndefined();
      const open = await create('opportunities', { name: 'Open', 'parentcontactid@odata.bind': `/contacts(${contact.id})` });
      expect(await out.findOpenDeal(context(), contact)).toEqual({ object: 'opportunities', id: open });
    });

    it('finds the open opportunities of many contacts in one call, the latest of each; leads cost nothing', async () => {
      const people = await Promise.all(Array.from({ length: 3 }, async (_, n) => ({ object: 'contacts', id: await create('contacts', { lastname: `Buyer ${n}` }) })));
      const [a, b, c] = people as [CrmRef, CrmRef, CrmRef];
      const deal = (name: string, who: CrmRef) => create('opportunities', { name, 'parentcontactid@odata.bind': `/contacts(${who.id})` });
      await deal('A older', a);
      await new Promise((r) => setTimeout(r, 1100)); // createdon is kept to the second
      const aLatest = await deal('A latest', a);
      const bClosed = await deal('B won', b);
      await context().http({ method: 'PATCH', url: api(`opportunities(${bClosed})`), body: { statecode: 1, statuscode: 3 } });
      const cOpen = await deal('C open', c);
      const lead = { object: 'leads', id: await create('leads', { lastname: 'Lead', subject: 'Topic' }) };
      const many = [...people, lead, ...Array.from({ length: 600 }, (_, n) => ({ object: 'contacts', id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}` }))];
      const urls: string[] = [];
      const found = await out.findOpenDeals!(context({ urls }), many);
      expect(Object.fromEntries(found)).toEqual({ [a.id]: { object: 'opportunities', id: aLatest }, [c.id]: { object: 'opportunities', id: cOpen } });
      expect(urls).toEqual([api('$batch')]);
      const none: string[] = [];
      expect((await out.findOpenDeals!(context({ urls: none }), [lead])).size).toBe(0);
      expect(none).toEqual([]);
    });

    it('describes the contact columns: types, choice options, read-only', async () => {
      const props = Object.fromEntries((await out.describeContactProperties(asContacts())).map((p) => [p.name, p]));
      expect(props.cs_qualification).toEqual({ name: 'cs_qualification', label: 'Qualification', type: 'picklist', options: ['100000000', '100000001', '100000002'], readOnly: false });
      expect(props.emailaddress1).toMatchObject({ type: 'string', readOnly: false });
      expect(props.cs_leadscore?.type).toBe('number');
      expect(props.donotemail?.type).toBe('boolean');
      expect(props.birthdate?.type).toBe('date');
      expect(props.fullname).toMatchObject({ type: 'string', readOnly: true });
    });
  });
});

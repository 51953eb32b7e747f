import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import type { CanonicalActivity, CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import { salesforceConnection as sf } from '../../src/connectors/salesforce/connection.js';
import { classifySalesforceAnswer, salesforceOutbound as out } from '../../src/connectors/salesforce/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { startFor, type ConnectorHarness } from './support.js';

type Row = Record<string, unknown>;

describe('Salesforce outbound connector against the sandbox', () => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('salesforce');
    target = { baseUrl: h.account.baseUrl, instanceUrl: h.account.baseUrl };
    credentials = { method: 'oauth', accessToken: String(h.account.credentials.sessionId) };
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  /** What the engine hands a connector, with a plain authenticated http (no retries). */
  const context = (options: { timeoutMs?: number; urls?: string[]; subUrls?: string[] } = {}): OutboundContext => {
    const plain = createCrmHttp(options);
    const http: CrmHttp = (req) => {
      const url = new URL(req.url);
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      options.urls?.push(url.toString());
      // Composite subrequests are requests of their own: their URLs count the same.
      const subrequests = (req.body as { compositeRequest?: { url: string }[] } | undefined)?.compositeRequest ?? [];
      options.subUrls?.push(...subrequests.map((r) => `${url.origin}${r.url}`));
      return plain({ ...req, headers: { ...sf.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: sf.apiBase(target), target, cache: new Map(), destination: { leadSourceValue: 'crm-sync' } };
  };
  const api = (path: string) => `${sf.apiBase(target)}/services/data/v60.0${path}`;
  const call = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => (await context().http({ method, url: api(path), body })).body;
  const create = async (object: string, values: Row) => String(((await call('POST', `/sobjects/${object}`, values)) as { id: string }).id);
  const soql = async (q: string) => ((await context().http({ url: api('/query'), query: { q } })).body as { records: Row[] }).records;
  const dump = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=salesforce`)).json()) as { salesforce: Record<string, Row[]> }).salesforce;
  const settings = (patch: Row) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'salesforce', ...patch }) });
  const requests = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/stats`)).json()) as { salesforce: { requests: number } }).salesforce.requests;

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
  const leads = async () => (await dump()).Lead ?? [];

  describe('contacts', () => {
    it('creates a Lead for a new client, with LastName and Company filled when unknown', async () => {
      const [nameless, named] = await out.upsertContacts(context(), [
        { contact: client(1, { phones: ['+34600111222', '+34600333444'], leadSource: 'Web', properties: { Qualification__c: 'Hot' } }), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'García', company: 'Acme', address: { street: 'Gran Vía 1', city: 'Madrid', zip: '28013', country: 'Spain' } }), allowCreate: true },
      ]);
      expect(nameless).toMatchObject({ ok: true, created: true, ref: { object: 'Lead' } });
      expect(named).toMatchObject({ ok: true, created: true, ref: { object: 'Lead' } });
      const [a, b] = await soql(`SELECT LastName, FirstName, Company, Email, Phone, MobilePhone, LeadSource, Qualification__c, CrmSync_Id__c, City, PostalCode FROM Lead ORDER BY CrmSync_Id__c`);
      expect(a).toMatchObject({ LastName: 'New WhatsApp contact: +34600000001', FirstName: null, Company: '[not provided]', Phone: '+34600111222', MobilePhone: '+34600333444', LeadSource: 'Web', Qualification__c: 'Hot', CrmSync_Id__c: 'client-1' });
      expect(b).toMatchObject({ LastName: 'García', FirstName: 'Ana', Company: 'Acme', City: 'Madrid', PostalCode: '28013', Email: 'person2@example.test' });
    });

    it('upserting the same client twice leaves one Lead, the second time an update', async () => {
      const first = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const second = await out.upsertContacts(context(), [{ contact: client(1, { lastName: 'Later' }), allowCreate: true }]);
      expect(second[0]).toMatchObject({ ok: true, created: false, ref: okRef(first[0]) });
      expect((await leads()).map((l) => l.LastName)).toEqual(['Later']);
    });

    it('a create that timed out after Salesforce saved it is replayed as an update, also under search lag', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context({ timeoutMs: 500 }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      expect(await leads()).toHaveLength(1); // committed, though we never heard

      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const ctx = context();
      const matched = await out.matchContacts(ctx, [client(1)]);
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1), existing: matched.get('client-1'), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      // And blindly, without matching first: the upsert on CrmSync_Id__c finds it.
      const [blind] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
      expect(blind).toMatchObject({ ok: true, created: false, ref: okRef(replayed) });
      expect(await leads()).toHaveLength(1);
    });

    it('an update sends only what we know: the CRM keeps the fields we lack', async () => {
      const id = await create('Contact', { FirstName: 'Bea', LastName: 'Old', Email: 'Bea@Example.test', Phone: '+34911000000', Title: 'CFO', MailingCity: 'Sevilla' });
      const ctx = context();
      const ref = (await out.matchContacts(ctx, [client(7, { emails: ['bea@example.test'] })])).get('client-7');
      expect(ref).toEqual({ object: 'Contact', id });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { emails: ['bea@example.test'], lastName: 'New', company: 'Ignored on Contacts' }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref: { object: 'Contact', id } });
      const [row] = await soql(`SELECT FirstName, LastName, Email, Phone, Title, MailingCity FROM Contact WHERE Id = '${id}'`);
      expect(row).toMatchObject({ FirstName: 'Bea', LastName: 'New', Email: 'bea@example.test', Phone: '+34911000000', Title: 'CFO', MailingCity: 'Sevilla' });
      expect(await leads()).toHaveLength(0);
    });

    it('an update-only connection does not create an unmatched client', async () => {
      const [skipped] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await leads()).toHaveLength(0);
    });

    it('writes a batch in one Collections call; a bad picklist value or e-mail fails only its own record, naming field and value', async () => {
      const before = await requests();
      const outcomes = await out.upsertContacts(
        context(),
        [1, 2, 3, 4, 5].map((n) => ({
          contact: client(n, {
            emails: [n === 4 ? 'not-an-email' : `person${n}@example.test`],
            properties: { Qualification__c: n === 2 ? 'Lukewarm' : 'Warm' },
          }),
          allowCreate: true,
        })),
      );
      expect((await requests()) - before).toBe(1);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
      const picklist = failure(outcomes[1]);
      expect(picklist.kind).toBe('invalid');
      expect(picklist.message).toContain('Qualification__c = "Lukewarm"');
      expect(picklist.message).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      expect(failure(outcomes[3]).message).toMatch(/Email = "not-an-email".*invalid email address/);
      expect((await leads()).map((l) => l.CrmSync_Id__c).sort()).toEqual(['client-1', 'client-3', 'client-5']);
    });

    it('a mapping to a field Salesforce lacks fails the records that carry it, and the others are written', async () => {
      const outcomes = await out.upsertContacts(context(), [
        { contact: client(1), allowCreate: true },
        { contact: client(2, { properties: { No_Such_Field__c: 'x' } }), allowCreate: true },
        { contact: client(3, { properties: { AutoChat_Score__c: 'high' as unknown as number } }), allowCreate: true },
        { contact: client(4), allowCreate: true },
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: expect.stringContaining(`No_Such_Field__c = "x" on Lead: No such column 'No_Such_Field__c'`) });
      expect(failure(outcomes[2]).message).toContain('VALUE_STRING value high');
      expect(await leads()).toHaveLength(2);
    });

    it('splits more than 200 records into Collections calls of 200', async () => {
      const before = await requests();
      const outcomes = await out.upsertContacts(context(), Array.from({ length: 450 }, (_, n) => ({ contact: client(n), allowCreate: true })));
      expect(outcomes.every((o) => o.ok && o.created)).toBe(true);
      expect((await requests()) - before).toBe(3);
      expect(await leads()).toHaveLength(450);
    });

    it('says the daily API limit was reached, as a rate limit the engine waits out', async () => {
      await settings({ rateLimitFactor: 0.00001 }); // an allocation of one call
      await out.findOwnerByEmail(context(), 'admin@sandbox.crm-sync.test');
      const [limited] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const err = failure(limited);
      expect(err).toMatchObject({ kind: 'rate_limited', details: { status: 403, vendorCode: 'REQUEST_LIMIT_EXCEEDED' } });
      expect(err.message).toContain('daily API request limit was reached');
      expect(err.details.retryAfterMs).toBeGreaterThan(0);
      // The same reading for the shared http layer, which otherwise would take a 403 for a missing permission.
      const res = await context().http({ url: api('/limits') });
      expect(classifySalesforceAnswer(res)?.kind).toBe('rate_limited');
    });
  });

  describe('matching', () => {
    it('finds by e-mail whatever the case, Contacts before Leads, and by our client id', async () => {
      const contact = await create('Contact', { LastName: 'Both', Email: 'Both@Example.test' });
      await create('Lead', { LastName: 'Both', Company: 'X', Email: 'both@example.test' });
      const lead = await create('Lead', { LastName: 'Lead', Company: 'X', Email: 'LEAD.ONLY@example.test' });
      const ours = await create('Lead', { LastName: 'Ours', Company: 'X', CrmSync_Id__c: 'client-3' });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['both@example.test'] }),
        client(2, { emails: ['nobody@example.test', 'lead.only@example.test'] }),
        client(3, { emails: ['changed@example.test'] }),
        client(4, { emails: ['nobody@example.test'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'client-1': { object: 'Contact', id: contact },
        'client-2': { object: 'Lead', id: lead },
        'client-3': { object: 'Lead', id: ours },
      });
    });

    it('then by phone in E.164, on Phone or MobilePhone, only for clients the e-mail did not find', async () => {
      const byMobile = await create('Contact', { LastName: 'Mobile', MobilePhone: '+34600111222' });
      const byPhone = await create('Lead', { LastName: 'Phone', Company: 'X', Phone: '+4930123456' });
      const byEmail = await create('Lead', { LastName: 'Email', Company: 'X', Email: 'first@example.test' });
      await create('Contact', { LastName: 'Same phone, loses to the e-mail', Phone: '+33612345678' });
      const found = await out.matchContacts(context(), [
        client(1, { emails: [], phones: ['+34600111222'] }),
        client(2, { emails: ['unknown@example.test'], phones: ['+4930123456'] }),
        client(3, { emails: ['first@example.test'], phones: ['+33612345678'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'client-1': { object: 'Contact', id: byMobile },
        'client-2': { object: 'Lead', id: byPhone },
        'client-3': { object: 'Lead', id: byEmail },
      });
    });

    it('a record found only by phone is the client’s only when it has no e-mail or one of the client’s', async () => {
      const someoneElse = await create('Contact', { LastName: 'Zoe', Email: 'zoe@other.test', Phone: '+34600333444' });
      const noEmail = await create('Lead', { LastName: 'Eve', Company: 'X', Phone: '+34600555666' });
      const sameEmail = await create('Contact', { LastName: 'Hal', Email: 'hal@other.test', MobilePhone: '+34600777888' });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['dan@example.test'], phones: ['+34600333444'] }),
        client(2, { emails: [], phones: ['+34600333444'] }),
        client(3, { emails: ['eve@example.test'], phones: ['+34600555666'] }),
        client(4, { emails: ['HAL@other.test', 'x@example.test'], phones: ['+34600777888'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({ 'client-3': { object: 'Lead', id: noEmail }, 'client-4': { object: 'Contact', id: sameEmail } });
      expect(someoneElse).toBeTruthy();
    });

    it('batches long lists into queries that fit a GET, sent 25 to a Composite call, and still finds every client', async () => {
      const long = (n: number) => `a-long-mailbox-name-for-person-${n}@subsidiary.example-corp.test`; // Email holds 80
      const records = Array.from({ length: 400 }, (_, n) => ({ attributes: { type: 'Contact' }, LastName: `P${n}`, Email: long(n) }));
      for (let i = 0; i < records.length; i += 200) {
        const saved = (await call('POST', '/composite/sobjects', { allOrNone: true, records: records.slice(i, i + 200) })) as { success: boolean }[];
        expect(saved.every((r) => r.success)).toBe(true);
      }
      const urls: string[] = [];
      const subUrls: string[] = [];
      const found = await out.matchContacts(context({ urls, subUrls }), records.map((_, n) => client(n, { emails: [long(n).toUpperCase()] })));
      expect(found.size).toBe(400);
      expect(urls).toEqual([api('/composite')]); // one call
      expect(subUrls.length).toBeGreaterThan(2); // more than one query per object
      expect(Math.max(...subUrls.map((u) => u.length))).toBeLessThan(16_000); // Salesforce's request URI limit
    });

    it('escapes quotes in what it searches for', async () => {
      const id = await create('Contact', { LastName: "O'Brien", Email: "o'brien@example.test" });
      const found = await out.matchContacts(context(), [client(1, { emails: ["o'brien@example.test"] }), client(2, { clientId: "x' OR Name != '" })]);
      expect(Object.fromEntries(found)).toEqual({ 'client-1': { object: 'Contact', id } });
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

    async function people() {
      const contact = await create('Contact', { LastName: 'Buyer', Email: 'buyer@example.test' });
      const lead = await create('Lead', { LastName: 'Prospect', Company: 'X' });
      const opportunity = await create('Opportunity', { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2024-12-31' });
      await create('OpportunityContactRole', { OpportunityId: opportunity, ContactId: contact, Role: 'Decision Maker' });
      return { contact: { object: 'Contact', id: contact }, lead: { object: 'Lead', id: lead }, deal: { object: 'Opportunity', id: opportunity } };
    }

    it('notes, tasks and calls become Tasks and meetings Events, linked to the person (WhoId) and, beside a Contact, the Opportunity (WhatId)', async () => {
      const { contact, lead, deal } = await people();
      const outcomes = await out.writeActivities(context(), [
        activity('n1', 'note', contact, { deal }),
        activity('t1', 'task', contact, { deal, dueAt: '2024-05-09T17:00:00Z' }),
        activity('c1', 'call', contact, { deal, endAt: '2024-05-02T10:05:30Z' }),
        activity('m1', 'meeting', contact, { deal, endAt: '2024-05-02T11:00:00Z' }),
        activity('x1', 'transcript', lead, { deal }),
      ]);
      expect(outcomes.map((o) => (o.ok ? [o.ref.object, o.created] : o.error.message))).toEqual([
        ['Task', true],
        ['Task', true],
        ['Task', true],
        ['Event', true],
        ['Task', true],
      ]);
      const tasks = await soql('SELECT Subject, WhoId, WhatId, Status, TaskSubtype, Type, ActivityDate, CallDurationInSeconds, Description FROM Task ORDER BY Subject');
      const bySubject = Object.fromEntries(tasks.map((t) => [t.Subject, t]));
      expect(bySubject['note n1']).toMatchObject({ WhoId: contact.id, WhatId: deal.id, Status: 'Completed', TaskSubtype: 'Task', ActivityDate: '2024-05-02' });
      expect(bySubject['note n1']?.Description).toBe('Body of n1\n\n[crm-sync:n1]');
      expect(bySubject['task t1']).toMatchObject({ WhoId: contact.id, WhatId: deal.id, Status: 'Not Started', ActivityDate: '2024-05-09' });
      expect(bySubject['call c1']).toMatchObject({ TaskSubtype: 'Call', Type: 'Call', CallDurationInSeconds: 330, Status: 'Completed' });
      expect(bySubject['transcript x1']).toMatchObject({ WhoId: lead.id, WhatId: null }); // Salesforce forbids WhatId beside a Lead
      const [event] = await soql('SELECT WhoId, WhatId, StartDateTime, EndDateTime, DurationInMinutes FROM Event');
      expect(event).toMatchObject({ WhoId: contact.id, WhatId: deal.id, StartDateTime: '2024-05-02T10:00:00.000+0000', DurationInMinutes: 60 });
    });

    it('replaying a batch changes nothing: the keys are found and nothing is doubled', async () => {
      const { contact, lead } = await people();
      const batch = [activity('n1', 'note', contact), activity('t1', 'task', lead), activity('m1', 'meeting', lead), activity('n1', 'note', contact)];
      const first = await out.writeActivities(context(), batch);
      expect(first.map((o) => o.ok && o.created)).toEqual([true, true, true, true]);
      expect(okRef(first[3])).toEqual(okRef(first[0])); // one record per key, even within a batch
      const again = await out.writeActivities(context(), batch);
      expect(again.map((o) => o.ok && !o.created)).toEqual([true, true, true, true]);
      expect(again.map(okRef)).toEqual(first.map(okRef));
      const records = await dump();
      expect([records.Task?.length, records.Event?.length]).toEqual([2, 1]);
    });

    it('a create that timed out after Salesforce saved it is not doubled by the replay', async () => {
      const { contact } = await people();
      const batch = [activity('n1', 'note', contact), activity('c1', 'call', contact), activity('m1', 'meeting', contact)];
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.writeActivities(context({ timeoutMs: 500 }), batch);
      expect(lost.map((o) => !o.ok && o.error.kind)).toEqual(['unavailable', 'unavailable', 'unavailable']);
      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const replay = await out.writeActivities(context(), batch);
      expect(replay.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      const records = await dump();
      expect([records.Task?.length, records.Event?.length]).toEqual([2, 1]);
    });

    it('a bad activity fails alone', async () => {
      const { contact } = await people();
      const outcomes = await out.writeActivities(context(), [
        activity('ok1', 'note', contact),
        activity('bad', 'meeting', contact, { endAt: '2024-05-01T09:00:00Z' }), // ends before it starts
        activity('ok2', 'task', contact, { ownerId: '005000000000000' }),
        activity('ok3', 'note', contact),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('EndDateTime') });
      expect(failure(outcomes[2]).message).toContain('INVALID_CROSS_REFERENCE_KEY');
    });
  });

  describe('owners, opportunities, properties', () => {
    it('finds active owners by e-mail, whatever the case', async () => {
      const users = h.account as unknown as { users: { id: string; email: string }[] };
      const sam = users.users.find((u) => u.email.startsWith('sam.'))?.id;
      expect(await out.findOwnerByEmail(context(), ' Sam.Seller@Sandbox.crm-sync.test ')).toBe(sam);
      expect(await out.findOwnerByEmail(context(), 'rita.former@sandbox.crm-sync.test')).toBeUndefined(); // inactive
      expect(await out.findOwnerByEmail(context(), 'nobody@sandbox.crm-sync.test')).toBeUndefined();
    });

    it("finds a Contact's open Opportunity through its contact roles, none for a Lead", async () => {
      const contact = await create('Contact', { LastName: 'Buyer' });
      const closed = await create('Opportunity', { Name: 'Won', StageName: 'Closed Won', CloseDate: '2024-01-31' });
      const open = await create('Opportunity', { Name: 'Open', StageName: 'Negotiation/Review', CloseDate: '2024-12-31' });
      await create('Opportunity', { Name: 'Someone else', StageName: 'Prospecting', CloseDate: '2024-12-31' });
      await create('OpportunityContactRole', { OpportunityId: open, ContactId: contact });
      await create('OpportunityContactRole', { OpportunityId: closed, ContactId: contact });
      expect(await out.findOpenDeal(context(), { object: 'Contact', id: contact })).toEqual({ object: 'Opportunity', id: open });
      const loner = await create('Contact', { LastName: 'Alone' });
      expect(await out.findOpenDeal(context(), { object: 'Contact', id: loner })).toBeUndefined();
      const lead = await create('Lead', { LastName: 'L', Company: 'X' });
      expect(await out.findOpenDeal(context(), { object: 'Lead', id: lead })).toBeUndefined();
    });

    it("describes the Lead's fields: types, picklist options, read-only", async () => {
      const props = Object.fromEntries((await out.describeContactProperties(context())).map((p) => [p.name, p]));
      expect(props.Qualification__c).toEqual({ name: 'Qualification__c', label: 'Qualification', type: 'picklist', options: ['Hot', 'Warm', 'Cold', 'Unqualified'], readOnly: false });
      expect(props.AutoChat_Score__c).toMatchObject({ type: 'number', readOnly: false });
      expect(props.AnnualRevenue?.type).toBe('number');
      expect(props.DoNotCall?.type).toBe('boolean');
      expect(props.LastActivityDate).toMatchObject({ type: 'date', readOnly: true });
      expect(props.CreatedDate).toMatchObject({ type: 'datetime', readOnly: true });
      expect(props.Email?.type).toBe('string');
      expect(props.OwnerId?.type).toBe('other');
    });
  });
});

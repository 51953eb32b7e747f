import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import type { CanonicalActivity, CanonicalContact, CrmRef, DestinationSettings, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import { zohoConnection as zoho } from '../../src/connectors/zoho/connection.js';
import { listPhoneModules, zohoOutbound as out } from '../../src/connectors/zoho/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { appOf, failureOf, refresh, startFor, type ConnectorHarness } from './support.js';

type Row = { id: string } & Record<string, unknown>;

describe('Zoho CRM outbound connector against the sandbox', () => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('zoho');
  });
  // A reset forgets the access tokens (and the refresh burst count): take a fresh one each time.
  beforeEach(async () => {
    await h.reset();
    const r = await refresh(zoho, h.target, appOf(h.account), String(h.account.credentials.refresh_token));
    target = r.target;
    credentials = { method: 'oauth', accessToken: r.tokens.accessToken };
  });
  afterAll(() => h.sb.close());

  // Lead_Source is a restricted picklist in the sandbox; "Chat" is one of its values.
  const LEADS: DestinationSettings = { leadSourceValue: 'Chat' };
  /** What the engine hands a connector, with a plain authenticated http (no retries). */
  const context = (destination: DestinationSettings = LEADS, options: { timeoutMs?: number; writeTimeoutMs?: number; urls?: string[]; bodies?: unknown[] } = {}): OutboundContext => {
    const plain = createCrmHttp(options);
    const http: CrmHttp = (req) => {
      const path = new URL(req.url).pathname;
      options.urls?.push(`${req.method ?? 'GET'} ${path}`);
      if (req.body !== undefined) options.bodies?.push(req.body);
      // Only writes give up early: reads wait out the sandbox's delay and answer.
      const write = (req.method === 'POST' || req.method === 'PUT') && !path.endsWith('/coql');
      const timeoutMs = write ? (options.writeTimeoutMs ?? req.timeoutMs) : req.timeoutMs;
      return plain({ ...req, timeoutMs, headers: { ...zoho.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: zoho.apiBase(target), target, cache: new Map(), destination };
  };
  const dump = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/records?crm=zoho`)).json()) as { zoho: Record<string, Row[]> }).zoho;
  const rows = async (module: string) => (await dump())[module] ?? [];
  const settings = (patch: Record<string, unknown>) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'zoho', ...patch }) });
  const create = async (module: string, values: Record<string, unknown>) => {
    const res = await context().http({ method: 'POST', url: `${zoho.apiBase(target)}/crm/v8/${module}`, body: { data: [values] } });
    return String((res.body as { data: { details: { id: string } }[] }).data[0]!.details.id);
  };

  const client = (n: number, extra: Partial<CanonicalContact> = {}): CanonicalContact => {
    const phone = `+3460011${String(n).padStart(4, '0')}`;
    return { clientId: `client-${n}`, emails: [], phones: [phone], fallbackName: `New WhatsApp contact: ${phone}`, properties: {}, ...extra };
  };
  const okRef = (o: RecordOutcome | undefined): CrmRef => {
    if (!o?.ok) throw new Error(`expected success, got ${o?.error.kind}: ${o?.error.message}`);
    return o.ref;
  };
  const failure = (o: RecordOutcome | undefined) => {
    if (!o || o.ok) throw new Error('expected a failure');
    return o.error;
  };

  describe('contacts', () => {
    it('creates a Lead for a client without a name, called by the fallback, with phone, lead source and chat link', async () => {
      const [o] = await out.upsertContacts(context({ ...LEADS, chatLinkField: 'Chat_Link' }), [{ contact: client(1, { chatUrl: 'https://chat.example.test/c/1' }), allowCreate: true }]);
      expect(o).toMatchObject({ ok: true, created: true, ref: { object: 'Leads' } });
      const [lead] = await rows('Leads');
      expect(lead?.First_Name ?? null).toBeNull();
      expect(lead).toMatchObject({ id: okRef(o).id, Last_Name: 'New WhatsApp contact: +34600110001', Phone: '+34600110001', Lead_Source: 'Chat', Chat_Link: 'https://chat.example.test/c/1' });
      expect((lead!.Owner as { email: string }).email).toBe('admin@sandbox.crm-sync.test'); // the connecting user
    });

    it('renames the record from the fallback name when the platform learns the name (S6)', async () => {
      const ctx = context();
      const ref = okRef((await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]))[0]);
      const [renamed] = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Ana', lastName: 'Ruiz' }), existing: ref, allowCreate: true }]);
      expect(renamed).toMatchObject({ ok: true, created: false, ref });
      expect((await rows('Leads'))[0]).toMatchObject({ First_Name: 'Ana', Last_Name: 'Ruiz', Full_Name: 'Ana Ruiz', Lead_Source: 'Chat' });
    });

    it('a first name alone replaces the fallback name, but never a name someone typed in Zoho', async () => {
      const ctx = context();
      const ours = okRef((await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]))[0]);
      const typed = await create('Leads', { First_Name: 'María', Last_Name: 'López', Phone: '+34600110002' });
      await out.upsertContacts(ctx, [
        { contact: client(1, { firstName: 'Ana' }), existing: ours, allowCreate: true },
        { contact: client(2, { firstName: 'Mari' }), existing: { object: 'Leads', id: typed }, allowCreate: true },
      ]);
      const leads = await rows('Leads');
      expect(leads.find((l) => l.id === ours.id)).toMatchObject({ Last_Name: 'Ana', Full_Name: 'Ana' });
      expect(leads.find((l) => l.id === typed)).toMatchObject({ First_Name: 'Mari', Last_Name: 'López' });
    });

    it('upserting the same client twice leaves one record, the second time an update', async () => {
      const [first] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]);
      const [second] = await out.upsertContacts(context(), [{ contact: client(1, { lastName: 'Later' }), allowCreate: true }]);
      expect(second).toMatchObject({ ok: true, created: false, ref: okRef(first) });
      expect((await rows('Leads')).map((l) => l.Last_Name)).toEqual(['Later']);
    });

    it('a create that timed out after Zoho saved it is replayed as an update, also under search lag', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context(LEADS, { timeoutMs: 500 }), [{ contact: client(1, { emails: ['ana@example.test'] }), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1100));
      expect(await rows('Leads')).toHaveLength(1); // committed, though we never heard

      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const ctx = context();
      expect((await out.matchContacts(ctx, [client(1)])).size).toBe(0); // the search index has not caught up
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1, { emails: ['ana@example.test'] }), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect((await rows('Leads')).map((l) => l.id)).toEqual([okRef(replayed).id]);
    });

    it('upserts on Email alone, the only duplicate-check field of a default org; in a module without one, inserts', async () => {
      const bodies: unknown[] = [];
      const [withEmail, phoneOnly] = await out.upsertContacts(context(LEADS, { bodies }), [
        { contact: client(1, { emails: ['ana@example.test'], maybeWritten: false }), allowCreate: true },
        { contact: client(2, { maybeWritten: false }), allowCreate: true },
      ]);
      expect([withEmail, phoneOnly]).toMatchObject([{ ok: true, created: true }, { ok: true, created: true }]);
      expect(bodies).toMatchObject([{ duplicate_check_fields: ['Email'] }]);
      bodies.length = 0;
      const [session] = await out.upsertContacts(context({ ...LEADS, module: 'Chat_Sessions', phoneField: 'Customer_Phone', nameField: 'Name' }, { bodies }), [{ contact: client(3, { maybeWritten: false }), allowCreate: true }]);
      expect(session).toMatchObject({ ok: true, created: true, ref: { object: 'Chat_Sessions' } });
      expect(bodies).toEqual([{ data: [expect.objectContaining({ Customer_Phone: '+34600110003' })] }]);
    });

    it('a client known by phone alone whose create timed out after Zoho saved it is found by phone and updated, also under search lag', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context(LEADS, { writeTimeoutMs: 500 }), [{ contact: client(1, { maybeWritten: false }), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1100));
      expect(await rows('Leads')).toHaveLength(1); // committed, though we never heard

      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const ctx = context();
      expect((await out.matchContacts(ctx, [client(1)])).size).toBe(0); // the search index has not caught up
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Ana', maybeWritten: true }), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect((await rows('Leads')).map((l) => [l.id, l.Last_Name])).toEqual([[okRef(replayed).id, 'Ana']]);
    });

    it('when the look-up by phone fails, a phone-only client that may have been written waits; the others are written', async () => {
      const ctx = context();
      await out.matchContacts(ctx, []); // reads the module's fields, so the next call is the look-up
      await settings({ failNext: 1 });
      const [unsure, withEmail] = await out.upsertContacts(ctx, [
        { contact: client(1, { maybeWritten: true }), allowCreate: true },
        { contact: client(2, { emails: ['bo@example.test'], maybeWritten: true }), allowCreate: true },
      ]);
      expect(failure(unsure)).toMatchObject({ kind: 'unavailable', retryable: true });
      expect(withEmail).toMatchObject({ ok: true, created: true });
      expect((await rows('Leads')).map((l) => l.Email)).toEqual(['bo@example.test']);
    });

    it('an update sends only what we know: Zoho keeps the fields we lack', async () => {
      const id = await create('Leads', { Last_Name: 'Old', Company: 'Acme', Designation: 'CFO', Email: 'bea@example.test', Phone: '+34911000000', Lead_Source: 'Trade Show' });
      const ctx = context();
      const ref = (await out.matchContacts(ctx, [client(7, { phones: ['+34699999999'], emails: ['bea@example.test'] })])).get('client-7');
      expect(ref).toEqual({ object: 'Leads', id });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { phones: [], emails: ['bea@example.test'], lastName: 'New' }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref: { object: 'Leads', id } });
      expect((await rows('Leads'))[0]).toMatchObject({ Last_Name: 'New', Company: 'Acme', Designation: 'CFO', Phone: '+34911000000', Lead_Source: 'Trade Show' });
    });

    it('an update-only connection does not create an unmatched client', async () => {
      const [skipped] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await rows('Leads')).toHaveLength(0);
    });

    it('writes a batch in one upsert call; a bad e-mail or picklist value fails only its own record, naming field and value', async () => {
      const urls: string[] = [];
      const outcomes = await out.upsertContacts(context(LEADS, { urls }), [
        { contact: client(1, { firstName: 'Good', lastName: 'One' }), allowCreate: true },
        { contact: client(2, { emails: ['not-an-email'] }), allowCreate: true },
        { contact: client(3, { properties: { Lead_Status: 'Lukewarm' } }), allowCreate: true },
        { contact: client(4, { properties: { WhatsApp_Opt_In: true } }), allowCreate: true },
      ]);
      expect(urls.filter((u) => u.startsWith('POST') && !u.endsWith('/coql'))).toEqual(['POST /sandbox/zoho/crm/v8/Leads/upsert']);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: 'Zoho CRM refused Leads.Email = "not-an-email": not an e-mail address.' });
      expect(failure(outcomes[2])).toMatchObject({ kind: 'invalid', message: `Zoho CRM refused Leads.Lead_Status = "Lukewarm": not one of the picklist's values.` });
      expect((await rows('Leads')).map((l) => l.Last_Name).sort()).toEqual(['New WhatsApp contact: +34600110004', 'One']);
    });

    it('matches by phone in international format first, then by e-mail (case-insensitive); nothing found is an empty map', async () => {
      const byPhone = await create('Leads', { Last_Name: 'P', Phone: '+34600110001', Email: 'other@example.test' });
      const byEmail = await create('Leads', { Last_Name: 'E', Email: 'ana@example.test' });
      const matches = await out.matchContacts(context(), [
        client(1, { emails: ['ana@example.test'] }),
        client(2, { emails: ['ANA@example.test'.toLowerCase()] }),
        client(3),
      ]);
      expect(Object.fromEntries(matches)).toEqual({ 'client-1': { object: 'Leads', id: byPhone }, 'client-2': { object: 'Leads', id: byEmail } });
    });
    it('matches a pass of clients by phone and e-mail in one COQL query; the phone still wins over the e-mail', async () => {
      const byPhone = await create('Leads', { Last_Name: 'P', Phone: '+34600110007', Email: 'x@example.test' });
      const byEmail = await create('Leads', { Last_Name: 'E', Email: 'c130@example.test' });
      await create('Leads', { Last_Name: 'O', Email: 'c7@example.test' }); // client 7's e-mail, but its phone matched first
      const urls: string[] = [];
      // 300 phones and 300 e-mails: six searches of 50 values per field before, one query now.
      const many = Array.from({ length: 300 }, (_, n) => client(n, { emails: [`c${n}@example.test`] }));
      const matches = await out.matchContacts(context(LEADS, { urls }), many);
      expect(urls.filter((u) => !u.includes('/settings/'))).toEqual(['POST /sandbox/zoho/crm/v8/coql']);
      expect(Object.fromEntries(matches)).toEqual({ 'client-7': { object: 'Leads', id: byPhone }, 'client-130': { object: 'Leads', id: byEmail } });
    });
  });

  describe('destination settings', () => {
    it('writes into Contacts with Mobile as the phone field, and matches on it', async () => {
      const dest: DestinationSettings = { module: 'Contacts', phoneField: 'Mobile', nameField: 'Last_Name', chatLinkField: 'Chat_Link', leadSourceField: 'Lead_Source', leadSourceValue: 'Chat' };
      const [o] = await out.upsertContacts(context(dest), [{ contact: client(1, { firstName: 'Ana', lastName: 'Ruiz', chatUrl: 'https://chat.example.test/c/1', address: { city: 'Madrid' } }), allowCreate: true }]);
      expect(okRef(o).object).toBe('Contacts');
      expect(await rows('Leads')).toHaveLength(0);
      expect((await rows('Contacts'))[0]?.Phone ?? null).toBeNull();
      expect((await rows('Contacts'))[0]).toMatchObject({ Mobile: '+34600110001', First_Name: 'Ana', Last_Name: 'Ruiz', Lead_Source: 'Chat', Chat_Link: 'https://chat.example.test/c/1', Mailing_City: 'Madrid' });
      expect(await out.matchContacts(context(dest), [client(1)])).toEqual(new Map([['client-1', okRef(o)]]));
    });

    it('writes into a custom module with its own phone and name fields; the full name goes to the name field', async () => {
      const dest: DestinationSettings = { module: 'Chat_Sessions', phoneField: 'Customer_Phone', nameField: 'Name', leadSourceValue: 'crm-sync' };
      const [nameless, named] = await out.upsertContacts(context(dest), [
        { contact: client(1), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'Ruiz' }), allowCreate: true },
      ]);
      okRef(nameless);
      okRef(named);
      expect((await rows('Chat_Sessions')).map((r) => [r.Name, r.Customer_Phone])).toEqual([
        ['New WhatsApp contact: +34600110001', '+34600110001'],
        ['Ana Ruiz', '+34600110002'],
      ]);
    });

    it('lists only the modules with a phone field, with their phone, text and picklist fields', async () => {
      const modules = await listPhoneModules(context());
      expect(modules.map((m) => m.apiName)).toEqual(['Leads', 'Contacts', 'Accounts', 'Chat_Sessions']);
      const leads = modules[0]!;
      expect(leads.phoneFields.map((f) => f.apiName)).toEqual(['Phone', 'Mobile']);
      expect(leads.textFields.map((f) => f.apiName)).toEqual(expect.arrayContaining(['Last_Name', 'Chat_Link']));
      expect(leads.textFields.map((f) => f.apiName)).not.toContain('Full_Name'); // read-only
      expect(leads.picklistFields.find((f) => f.apiName === 'Lead_Source')?.options).toContain('Chat');
    });

    it("describes the destination module's fields with picklist options", async () => {
      const props = await out.describeContactProperties(context({ module: 'Contacts', leadSourceValue: 'x' }));
      expect(props.find((p) => p.name === 'Lead_Source')).toMatchObject({ type: 'picklist', options: expect.arrayContaining(['Chat', 'Trade Show']) });
      expect(props.find((p) => p.name === 'Full_Name')).toMatchObject({ type: 'string', readOnly: true });
      expect(props.find((p) => p.name === 'Account_Name')?.type).toBe('other');
    });
  });

  describe('activation', () => {
    it('writes a test record with the chosen fields and deletes it', async () => {
      const urls: string[] = [];
      const result = await out.activate!(context(LEADS, { urls }), { ...LEADS, chatLinkField: 'Chat_Link' });
      expect(result).toMatchObject({ record: { object: 'Leads' }, removed: true });
      expect(urls).toContain(`DELETE /sandbox/zoho/crm/v8/Leads/${result.record.id}`);
      expect(await rows('Leads')).toHaveLength(0);
    });

    it('fails with a clear message for a module without the chosen field, naming every problem', async () => {
      const err = await failureOf(out.activate!(context(), { module: 'Contracts', phoneField: 'Phone', nameField: 'Name', chatLinkField: 'Chat_Link', leadSourceValue: 'crm-sync' }));
      expect(err.kind).toBe('invalid');
      expect(err.message).toBe('Zoho CRM cannot take clients with these settings: the Contracts module has no field Phone (chosen as the phone field); the Contracts module has no field Chat_Link (chosen as the chat link field).');
      expect(await rows('Contracts')).toHaveLength(0);
    });

    it('fails when the lead-source value is not in the picklist, listing the values it could be', async () => {
      const err = await failureOf(out.activate!(context(), { leadSourceValue: 'crm-sync' }));
      expect(err.message).toMatch(/^Zoho CRM cannot take clients with these settings: Leads\.Lead_Source is a picklist without the value "crm-sync": add it in Zoho CRM or choose one of "-None-", "Advertisement", .*"Chat"\.$/);
    });
  });

  describe('activities', () => {
    const activity = (contact: CrmRef, kind: CanonicalActivity['kind'], key: string, extra: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key,
      kind,
      contact,
      subject: `${kind} ${key}`,
      body: `About ${key}`,
      occurredAt: '2026-11-20T10:00:00.000Z',
      ...extra,
    });
    const lead = async () => okRef((await out.upsertContacts(context(), [{ contact: client(1), allowCreate: true }]))[0]);

    it('a note, a task, a call and a meeting on a Lead; a replay writes nothing new', async () => {
      const ref = await lead();
      const batch = [
        activity(ref, 'note', 'n1'),
        activity(ref, 'task', 't1', { dueAt: '2026-11-23T09:00:00Z' }),
        activity(ref, 'call', 'c1', { endAt: '2026-11-20T10:30:00Z' }),
        activity(ref, 'meeting', 'm1', { endAt: '2026-11-20T11:00:00Z' }),
      ];
      const first = await out.writeActivities(context(), batch);
      expect(first.map((o) => o.ok && o.ref.object)).toEqual(['Notes', 'Tasks', 'Calls', 'Events']);
      expect(first.every((o) => o.ok && o.created)).toBe(true);
      const d = await dump();
      expect(d.Notes![0]).toMatchObject({ Note_Title: 'note n1', Note_Content: 'About n1\n\n[crm-sync:n1]', $se_module: 'Leads', Parent_Id: { id: ref.id } });
      expect(d.Tasks![0]).toMatchObject({ Subject: 'task t1', Due_Date: '2026-11-23', Status: 'Not Started', What_Id: { id: ref.id }, $se_module: 'Leads' });
      expect(d.Calls![0]).toMatchObject({ Call_Start_Time: '2026-11-20T10:00:00+00:00', Call_Duration: '30:00', Call_Type: 'Outbound' });
      expect(d.Events![0]).toMatchObject({ Event_Title: 'meeting m1', End_DateTime: '2026-11-20T11:00:00+00:00' });

      const again = await out.writeActivities(context(), batch);
      expect(again.map((o) => o.ok && !o.created && o.ref.id)).toEqual(first.map((o) => o.ok && o.ref.id));
      expect(JSON.stringify(await dump())).toBe(JSON.stringify(d));
    });

    it('tasks on a Contact take Who_Id and the open Deal as What_Id', async () => {
      const contact = await create('Contacts', { Last_Name: 'Ruiz', Mobile: '+34600110009' });
      await create('Deals', { Deal_Name: 'Old', Stage: 'Closed Lost', Closing_Date: '2026-01-01', Contact_Name: { id: contact } });
      const open = await create('Deals', { Deal_Name: 'Fleet', Stage: 'Negotiation/Review', Closing_Date: '2026-12-31', Contact_Name: { id: contact } });
      const ref = { object: 'Contacts', id: contact };
      const deal = await out.findOpenDeal(context(), ref);
      expect(deal).toEqual({ object: 'Deals', id: open });
      expect(await out.findOpenDeal(context(), await lead())).toBeUndefined();
      const [o] = await out.writeActivities(context(), [activity(ref, 'task', 't1', { deal })]);
      okRef(o);
      expect((await rows('Tasks'))[0]).toMatchObject({ Who_Id: { id: contact }, What_Id: { id: open }, $se_module: 'Deals' });
    });

    it('a note and a task that timed out after Zoho saved them are not doubled by the replay, under search lag', async () => {
      const ref = await lead();
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const batch = [activity(ref, 'note', 'n1'), activity(ref, 'task', 't1')];
      const lost = await out.writeActivities(context(LEADS, { writeTimeoutMs: 500 }), batch);
      expect(lost.map((o) => !o.ok && o.error.kind)).toEqual(['unavailable', 'unavailable']);
      await new Promise((r) => setTimeout(r, 1100));
      expect([(await rows('Notes')).length, (await rows('Tasks')).length]).toEqual([1, 1]); // committed, though we never heard
      await settings({ timeoutRate: 0, searchLagMs: 60_000 });
      const replay = await out.writeActivities(context(), batch);
      expect(replay).toMatchObject([{ ok: true, created: false }, { ok: true, created: false }]);
      const d = await dump();
      expect([d.Notes?.length, d.Tasks?.length]).toEqual([1, 1]);
    });

    it('activities no earlier attempt wrote are inserted without reading back, 100 per call; those an attempt may have written are still looked for', async () => {
      const ref = await lead();
      const fresh = Array.from({ length: 120 }, (_, n) => activity(ref, n % 2 ? 'task' : 'note', `k${n}`, { maybeWritten: false }));
      const urls: string[] = [];
      const first = await out.writeActivities(context(LEADS, { urls }), fresh);
      expect(first.every((o) => o.ok && o.created)).toBe(true);
      expect(urls).toEqual(['POST /sandbox/zoho/crm/v8/Notes', 'POST /sandbox/zoho/crm/v8/Tasks']);
      expect([(await rows('Notes')).length, (await rows('Tasks')).length]).toEqual([60, 60]);

      // A retry of a batch whose first attempt may have committed: read back, nothing doubled.
      const retried = [...fresh.slice(0, 4).map((a) => ({ ...a, maybeWritten: true })), activity(ref, 'task', 'new', { maybeWritten: false })];
      urls.length = 0;
      const again = await out.writeActivities(context(LEADS, { urls }), retried);
      expect(again.map((o) => o.ok && o.created)).toEqual([false, false, false, false, true]);
      expect(again.slice(0, 4).map((o) => o.ok && o.ref.id)).toEqual(first.slice(0, 4).map((o) => o.ok && o.ref.id));
      expect(urls.some((u) => u.startsWith('GET'))).toBe(true);
      expect([(await rows('Notes')).length, (await rows('Tasks')).length]).toEqual([60, 61]);
    });

    it("a day's chat note that grew is updated in place, title and content; a new day is a new note", async () => {
      const ref = await lead();
      const day1 = activity(ref, 'transcript', 'cv:chat:20', { subject: 'WhatsApp chat with Ana (20/11/2026)', body: '[10:00] Ana: hola' });
      const [first] = await out.writeActivities(context(), [day1]);
      const note = okRef(first);
      const grown = { ...day1, body: '[10:00] Ana: hola\n[18:00] Ana: ¿sigue disponible?', replaces: note };
      const day2 = activity(ref, 'transcript', 'cv:chat:21', { subject: 'WhatsApp chat with Ana (21/11/2026)', body: '[09:00] Ana: buenos días' });
      const [updated, next] = await out.writeActivities(context(), [grown, day2]);
      expect(updated).toEqual({ ok: true, created: false, ref: note });
      expect(next).toMatchObject({ ok: true, created: true });
      const notes = await rows('Notes');
      expect(notes.map((n) => [n.Note_Title, n.Note_Content])).toEqual([
        ['WhatsApp chat with Ana (20/11/2026)', '[10:00] Ana: hola\n[18:00] Ana: ¿sigue disponible?\n\n[crm-sync:cv:chat:20]'],
        ['WhatsApp chat with Ana (21/11/2026)', '[09:00] Ana: buenos días\n\n[crm-sync:cv:chat:21]'],
      ]);
    });

    it('a note on a record that no longer exists fails alone', async () => {
      const ref = await lead();
      const [bad, good] = await out.writeActivities(context(), [activity({ object: 'Leads', id: '999' }, 'note', 'x'), activity(ref, 'note', 'y')]);
      expect(failure(bad).kind).toBe('invalid');
      expect(failure(bad).message).toContain('Parent_Id');
      okRef(good);
    });
  });

  it('finds owners by e-mail among active users, case-insensitively, listing the users once for every e-mail', async () => {
    const urls: string[] = [];
    const ctx = context(LEADS, { urls });
    expect(await out.findOwnerByEmail(ctx, 'Sam.Seller@sandbox.crm-sync.test')).toBe('6045000000100002');
    expect(await out.findOwnerByEmail(ctx, 'nobody@example.test')).toBeUndefined();
    expect(await out.findOwnerByEmail(ctx, 'admin@sandbox.crm-sync.test')).toBe('6045000000100001');
    expect(urls).toEqual(['GET /sandbox/zoho/crm/v8/users']);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { odooConnection as odoo } from '../../src/connectors/odoo/connection.js';
import { odooOutbound as out } from '../../src/connectors/odoo/outbound.js';
import type { CanonicalActivity, CanonicalCompany, CanonicalContact, CanonicalDeal, CrmRef, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import { startFor, type ConnectorHarness, type SandboxAccount } from './support.js';

type Row = Record<string, unknown>;

/**
 * The same suite over both external APIs: JSON-2 (Odoo 19) and /jsonrpc's execute_kw against the
 * sandbox's Odoo 17 mount (the same database). Each connection's API and uid come from a real check.
 */
describe.each([
  { api: 'JSON-2', legacy: false },
  { api: '/jsonrpc (Odoo 17)', legacy: true },
])('Odoo outbound connector against the sandbox over $api', ({ legacy }) => {
  let h: ConnectorHarness;
  let target: ConnectionTarget;
  let json2: ConnectionTarget;
  let credentials: Credentials;

  beforeAll(async () => {
    h = await startFor('odoo');
    const c = h.account.credentials;
    json2 = { instanceUrl: String(c.url) };
    credentials = { method: 'api_key', apiKey: String(c.api_key), database: String(c.database), username: String(c.login) };
    const server = { instanceUrl: legacy ? String((h.account as SandboxAccount & { legacyServerUrl: string }).legacyServerUrl) : String(c.url) };
    target = { ...server, ...(await odoo.check({ http: createCrmHttp(), target: server, credentials })).target };
    expect(target.odoo?.protocol).toBe(legacy ? 'jsonrpc' : 'json2');
  });
  beforeEach(() => h.reset());
  afterAll(() => h.sb.close());

  /**
   * What the engine hands a connector, with a plain authenticated http (no retries).
   * `writeTimeoutMs` gives up early on creates and posts only: the sandbox delays every POST,
   * and Odoo's reads are POSTs too, which must still be answered.
   */
  const context = (options: { writeTimeoutMs?: number } = {}): OutboundContext => {
    const plain = createCrmHttp();
    const http: CrmHttp = (req) => {
      const signed = odoo.authRequest ? odoo.authRequest(credentials, target, req) : req;
      return plain({ ...signed, ...(options.writeTimeoutMs && !req.idempotent ? { timeoutMs: options.writeTimeoutMs } : {}), headers: { ...odoo.authHeaders(credentials, target), ...req.headers } });
    };
    return { http, apiBase: odoo.apiBase(target), target, cache: new Map(), destination: { leadSourceValue: 'crm-sync' } };
  };
  /** Reads and prepares Odoo as anyone would, over JSON-2 whichever API the connector speaks (the same database). */
  const call = async (model: string, method: string, args: Row) => {
    const res = await createCrmHttp()({ method: 'POST', url: `${odoo.apiBase(json2)}/json/2/${model}/${method}`, body: args, headers: odoo.authHeaders(credentials, json2) });
    expect(res.status).toBe(200);
    return res.body;
  };
  const create = async (model: string, values: Row) => ((await call(model, 'create', { vals_list: [values] })) as number[])[0] as number;
  const read = async (model: string, domain: unknown[], fields: string[] = []) => (await call(model, 'search_read', { domain, fields, context: { active_test: false } })) as Row[];
  const settings = (patch: Row) =>
    fetch(`${h.sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'odoo', ...patch }) });
  const requests = async () => ((await (await fetch(`${h.sb.origin}/sandbox/__control/stats`)).json()) as { odoo: { requests: number } }).odoo.requests;
  const persons = async () => read('res.partner', [['is_company', '=', false], ['id', '>', 7]], ['name', 'ref', 'email', 'phone', 'mobile', 'comment', 'parent_id', 'city', 'country_id', 'user_id', 'function', 'company_type']);

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
  /** The partners we created: our key in `ref` (Internal Reference), never in the notes. */
  const ours = async () => {
    const rows = await persons();
    expect(rows.filter((p) => String(p.comment).includes('crm-sync'))).toEqual([]);
    return rows.filter((p) => String(p.ref).startsWith('crm-sync:'));
  };

  describe('contacts', () => {
    it('creates a partner for a new client: fallback name, phones, company as a company partner, country, owner', async () => {
      const [nameless, named] = await out.upsertContacts(context(), [
        { contact: client(1, { emails: [], phones: ['+34600111222', '+34600333444'] }), allowCreate: true },
        { contact: client(2, { firstName: 'Ana', lastName: 'García', company: 'Acme', ownerId: '6', address: { city: 'Madrid', country: 'ES' } }), allowCreate: true },
      ]);
      expect(nameless).toMatchObject({ ok: true, created: true, ref: { object: 'res.partner' } });
      expect(named).toMatchObject({ ok: true, created: true, ref: { object: 'res.partner' } });
      const rows = await ours();
      const a = rows.find((r) => String(r.id) === okRef(nameless).id);
      const b = rows.find((r) => String(r.id) === okRef(named).id);
      expect(a).toMatchObject({ name: 'New WhatsApp contact: +34600000001', ref: 'crm-sync:client-1', comment: false, email: false, phone: '+34600111222', mobile: '+34600333444', parent_id: false });
      expect(b).toMatchObject({ name: 'Ana García', email: 'person2@example.test', city: 'Madrid', user_id: [6, expect.any(String)] });
      const acme = await read('res.partner', [['is_company', '=', true], ['name', '=', 'Acme']], ['name']);
      expect(acme).toHaveLength(1);
      expect((b?.parent_id as [number])[0]).toBe(acme[0]?.id);
    });

    it('upserting the same client twice leaves one partner, the second time an update', async () => {
      const first = await out.upsertContacts(context(), [{ contact: client(1, { company: 'Acme' }), allowCreate: true }]);
      const second = await out.upsertContacts(context(), [{ contact: client(1, { firstName: 'Later', company: 'Acme' }), allowCreate: true }]);
      expect(second[0]).toMatchObject({ ok: true, created: false, ref: okRef(first[0]) });
      expect((await ours()).map((p) => p.name)).toEqual(['Later']);
      expect(await read('res.partner', [['name', '=', 'Acme']], ['name'])).toHaveLength(1);
    });

    it('looks for our key before creating only where an earlier attempt may have written (maybeWritten not false)', async () => {
      const ctx = context();
      await out.describeContactProperties(ctx); // res.partner's fields, read once per connection
      let before = await requests();
      const fresh = await out.upsertContacts(ctx, [1, 2].map((n) => ({ contact: client(n, { maybeWritten: false }), allowCreate: true })));
      expect((await requests()) - before).toBe(1); // the create alone
      expect(fresh.map((o) => o.ok && o.created)).toEqual([true, true]);
      before = await requests();
      const unsure = await out.upsertContacts(ctx, [{ contact: client(1, { firstName: 'Again', maybeWritten: true }), allowCreate: true }]);
      expect((await requests()) - before).toBe(2); // the key lookup finds it, and it is updated
      expect(unsure[0]).toMatchObject({ ok: true, created: false, ref: okRef(fresh[0]) });
      expect((await ours()).map((p) => p.name).sort()).toEqual(['Again', 'client-2'.replace('client-2', 'New WhatsApp contact: +34600000002')].sort());
    });

    it('a create that timed out after Odoo saved it is replayed as an update, also under search lag', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertContacts(context({ writeTimeoutMs: 500 }), [{ contact: client(1), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      expect(await ours()).toHaveLength(1); // committed, though we never heard

      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const ctx = context();
      const matched = await out.matchContacts(ctx, [client(1)]);
      const [replayed] = await out.upsertContacts(ctx, [{ contact: client(1), existing: matched.get('client-1'), allowCreate: true }]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      // And blindly, without matching first: the key lookup finds it.
      const [blind] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
      expect(blind).toMatchObject({ ok: true, created: false, ref: okRef(replayed) });
      expect(await ours()).toHaveLength(1);
    });

    it('an update sends only what we know: Odoo keeps the fields we lack', async () => {
      const id = await create('res.partner', { name: 'Bea Old', email: 'Bea@Example.test', phone: '+34911000000', function: 'CFO', city: 'Sevilla' });
      const ctx = context();
      const ref = (await out.matchContacts(ctx, [client(7, { emails: ['bea@example.test'] })])).get('client-7');
      expect(ref).toEqual({ object: 'res.partner', id: String(id) });
      const [updated] = await out.upsertContacts(ctx, [{ contact: client(7, { emails: ['bea@example.test'], firstName: 'Bea', lastName: 'New' }), existing: ref, allowCreate: false }]);
      expect(updated).toMatchObject({ ok: true, created: false, ref: { object: 'res.partner', id: String(id) } });
      const [row] = await read('res.partner', [['id', '=', id]], ['name', 'email', 'phone', 'function', 'city']);
      expect(row).toEqual({ id, name: 'Bea New', email: 'bea@example.test', phone: '+34911000000', function: 'CFO', city: 'Sevilla' });
    });

    it('an update-only connection does not create an unmatched client', async () => {
      const [skipped] = await out.upsertContacts(context(), [{ contact: client(1), allowCreate: false }]);
      expect(failure(skipped).kind).toBe('not_found');
      expect(await ours()).toHaveLength(0);
    });

    it('creates a batch in one call; a bad selection value or unknown field fails only its own record, naming field and value', async () => {
      const ctx = context();
      await out.describeContactProperties(ctx); // metadata is read once per connection
      const before = await requests();
      const outcomes = await out.upsertContacts(
        ctx,
        [1, 2, 3, 4, 5].map((n) => ({
          contact: client(n, { properties: n === 2 ? { company_type: 'alien' } : n === 4 ? { x_no_such: 'x' } : { function: 'Buyer' } }),
          allowCreate: true,
        })),
      );
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
      expect(failure(outcomes[1])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('company_type = "alien"') });
      expect(failure(outcomes[3])).toMatchObject({ kind: 'invalid', message: expect.stringContaining('x_no_such = "x"') });
      expect((await requests()) - before).toBe(2); // the key lookup and one create
      expect((await ours()).map((p) => p.email).sort()).toEqual(['person1@example.test', 'person3@example.test', 'person5@example.test']);
    });

    it('a record Odoo itself refuses fails alone: the refused create is split', async () => {
      const outcomes = await out.upsertContacts(context(), [
        { contact: client(1), allowCreate: true },
        { contact: client(2, { ownerId: '9999' }), allowCreate: true },
        { contact: client(3), allowCreate: true },
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(failure(outcomes[1]).kind).toBe('invalid');
      expect(await ours()).toHaveLength(2);
    });

    it('splits more than 100 creates into calls of 100', async () => {
      const ctx = context();
      await out.describeContactProperties(ctx);
      const before = await requests();
      const outcomes = await out.upsertContacts(ctx, Array.from({ length: 250 }, (_, n) => ({ contact: client(n), allowCreate: true })));
      expect(outcomes.every((o) => o.ok && o.created)).toBe(true);
      expect((await requests()) - before).toBe(1 + 3); // the keys looked up in one search (up to 500), then three creates
      expect(await ours()).toHaveLength(250);
    });
  });

  describe('matching a shared phone', () => {
    it('a partner found only by phone is the client’s only when it has no e-mail or one of the client’s', async () => {
      await create('res.partner', { name: 'Zoe', email: 'zoe@other.test', phone: '+34600333444' });
      const noEmail = await create('res.partner', { name: 'Eve', mobile: '+34600555666' });
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['dan@example.test'], phones: ['+34600333444'] }),
        client(2, { emails: [], phones: ['+34600333444'] }),
        client(3, { emails: ['eve@example.test'], phones: ['+34600555666'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({ 'client-3': { object: 'res.partner', id: String(noEmail) } });
    });
  });

  describe('matching', () => {
    it('finds persons by e-mail whatever the case, by our key, then by phone on phone or mobile', async () => {
      const byEmail = await create('res.partner', { name: 'Email', email: 'Both@Example.test', phone: '+33612345678' });
      await create('res.partner', { name: 'A company', is_company: true, email: 'company@example.test' });
      const byMobile = await create('res.partner', { name: 'Mobile', mobile: '+34600111222' });
      const byPhone = await create('res.partner', { name: 'Phone', phone: '+4930123456' });
      const [mine] = await out.upsertContacts(context(), [{ contact: client(5, { emails: [] }), allowCreate: true }]);
      const found = await out.matchContacts(context(), [
        client(1, { emails: ['both@example.test'], phones: ['+4930123456'] }),
        client(2, { emails: ['company@example.test'] }),
        client(3, { emails: [], phones: ['+34600111222'] }),
        client(4, { emails: ['unknown@example.test'], phones: ['+4930123456'] }),
        client(5, { emails: ['changed@example.test'] }),
        client(6, { emails: ['nobody@example.test'] }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'client-1': { object: 'res.partner', id: String(byEmail) },
        'client-3': { object: 'res.partner', id: String(byMobile) },
        'client-4': { object: 'res.partner', id: String(byPhone) },
        'client-5': okRef(mine),
      });
    });

    it('matches a pass of 500 clients in one search', async () => {
      const byPhone = await create('res.partner', { name: 'Phone', phone: '+4930123456' });
      const clients = Array.from({ length: 500 }, (_, i) => client(i, { phones: [`+3460${String(i).padStart(7, '0')}`] }));
      clients[499] = client(499, { emails: [], phones: ['+4930123456'] });
      const before = await requests();
      const found = await out.matchContacts(context(), clients);
      expect((await requests()) - before).toBe(1);
      expect(Object.fromEntries(found)).toEqual({ 'client-499': { object: 'res.partner', id: String(byPhone) } });
    });

    it("finds the clients' company names in the same search, so the pass's upserts need not search them again", async () => {
      const acme = await create('res.partner', { name: 'ACME', is_company: true });
      await create('res.partner', { name: 'Acme', is_company: true }); // a younger namesake: the oldest wins
      await create('res.partner', { name: 'Acme Person', email: 'person1@example.test' });
      const ctx = context();
      await out.describeContactProperties(ctx);
      const clients = [client(1, { company: 'acme' }), client(2, { company: 'Globex', maybeWritten: false }), client(3, { company: 'Acme', maybeWritten: false })];
      let before = await requests();
      const found = await out.matchContacts(ctx, clients);
      expect((await requests()) - before).toBe(1);
      expect([...found.keys()]).toEqual(['client-1']);
      before = await requests();
      const outcomes = await out.upsertContacts(ctx, clients.map((c) => ({ contact: c, existing: found.get(c.clientId), allowCreate: true })));
      // Globex, unknown to the search, is created (and so is the partner of client 3 and client 2); client 1 is updated.
      expect((await requests()) - before).toBe(4);
      expect(outcomes.map((o) => o.ok && o.created)).toEqual([false, true, true]);
      const rows = await read('res.partner', [['id', 'in', outcomes.map((o) => Number(okRef(o).id))]], ['parent_id']);
      const parent = (o: RecordOutcome | undefined) => (rows.find((r) => r.id === Number(okRef(o).id))?.parent_id as [number, string])[0];
      expect(parent(outcomes[0])).toBe(acme);
      expect(parent(outcomes[2])).toBe(acme);
      expect(await read('res.partner', [['is_company', '=', true], ['name', '=', 'Globex']], ['id'])).toEqual([{ id: parent(outcomes[1]) }]);
    });

    it('treats quotes and wildcards in what it searches for as text', async () => {
      const id = await create('res.partner', { name: "O'Brien", email: "o'brien@example.test" });
      await create('res.partner', { name: 'Wild', email: 'axb@example.test' });
      const found = await out.matchContacts(context(), [client(1, { emails: ["o'brien@example.test"] }), client(2, { emails: ['a_b@example.test'] })]);
      expect(Object.fromEntries(found)).toEqual({ 'client-1': { object: 'res.partner', id: String(id) } });
    });
  });

  describe('activities', () => {
    const at = '2024-05-02T10:00:00Z';
    const activity = (key: string, kind: CanonicalActivity['kind'], contact: CrmRef, extra: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key,
      kind,
      contact,
      subject: `${kind} ${key}`,
      body: `Body of ${key}\nwith <b>text</b>`,
      occurredAt: at,
      ...extra,
    });
    const partner = async () => ({ object: 'res.partner', id: String(await create('res.partner', { name: 'Ana' })) });

    it('posts notes as chatter messages and schedules tasks, calls and meetings as activities of the right type', async () => {
      const contact = await partner();
      const outcomes = await out.writeActivities(context(), [
        activity('n1', 'note', contact),
        activity('t1', 'task', contact, { dueAt: '2024-05-09T09:00:00Z', ownerId: '6' }),
        activity('c1', 'call', contact),
        activity('m1', 'meeting', contact, { endAt: '2024-05-02T11:00:00Z' }),
        activity('x1', 'transcript', contact),
      ]);
      expect(outcomes.map((o) => o.ok && o.created)).toEqual([true, true, true, true, true]);
      expect(outcomes.map((o) => okRef(o).object)).toEqual(['mail.message', 'mail.activity', 'mail.activity', 'mail.activity', 'mail.message']);
      const messages = await read('mail.message', [['model', '=', 'res.partner'], ['res_id', '=', Number(contact.id)], ['body', 'ilike', 'crm-sync']], ['body', 'subject']);
      expect(messages).toHaveLength(2);
      expect(String(messages.find((m) => m.subject === 'note n1')?.body)).toBe('<p>Body of n1<br>with &lt;b&gt;text&lt;/b&gt;</p><p><small>[crm-sync:n1]</small></p>');
      const acts = await read('mail.activity', [['res_id', '=', Number(contact.id)]], ['summary', 'activity_type_id', 'date_deadline', 'user_id', 'res_model']);
      expect(acts.map((a) => [a.summary, (a.activity_type_id as [number, string])[1], a.date_deadline, a.res_model]).sort()).toEqual([
        ['call c1', 'Call', '2024-05-02', 'res.partner'],
        ['meeting m1', 'Meeting', '2024-05-02', 'res.partner'],
        ['task t1', 'To-Do', '2024-05-09', 'res.partner'],
      ]);
      expect(acts.find((a) => a.summary === 'task t1')?.user_id).toEqual([6, expect.any(String)]);
    });

    it('writes on the open opportunity when given', async () => {
      const contact = await partner();
      const lead = await create('crm.lead', { name: 'Deal', type: 'opportunity', partner_id: Number(contact.id) });
      const deal = await out.findOpenDeal(context(), contact);
      expect(deal).toEqual({ object: 'crm.lead', id: String(lead) });
      const outcomes = await out.writeActivities(context(), [activity('n1', 'note', contact, { deal }), activity('t1', 'task', contact, { deal })]);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(await read('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', lead], ['body', 'ilike', 'crm-sync:n1']], ['id'])).toHaveLength(1);
      expect(await read('mail.activity', [['res_model', '=', 'crm.lead'], ['res_id', '=', lead]], ['id'])).toHaveLength(1);
    });

    it('a replay writes nothing twice, also after writes whose answers were lost', async () => {
      const contact = await partner();
      const batch = [activity('n1', 'note', contact), activity('t1', 'task', contact), activity('n1', 'note', contact)];
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.writeActivities(context({ writeTimeoutMs: 500 }), batch);
      expect(lost.map((o) => o.ok)).toEqual([false, false, false]);
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0, searchLagMs: 5000 });
      const replay = await out.writeActivities(context(), batch);
      expect(replay.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      const again = await out.writeActivities(context(), batch);
      expect(again.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      expect(await read('mail.message', [['body', 'ilike', 'crm-sync:']], ['id'])).toHaveLength(1);
      expect(await read('mail.activity', [['res_id', '=', Number(contact.id)]], ['id'])).toHaveLength(1);
    });

    it('writes fresh keys (maybeWritten false) in one create per 100 notes or activities, with no read-back; notes are internal notes', async () => {
      const contact = await partner();
      const ctx = context();
      const notes = Array.from({ length: 150 }, (_, i) => activity(`n${i}`, 'note', contact, { maybeWritten: false }));
      const tasks = Array.from({ length: 150 }, (_, i) => activity(`t${i}`, 'task', contact, { maybeWritten: false }));
      const before = await requests();
      const outcomes = await out.writeActivities(ctx, [...notes, ...tasks]);
      // The Note subtype and the activity types (read once per connection), two message creates, two activity creates.
      expect((await requests()) - before).toBe(6);
      expect(outcomes.every((o) => o.ok && o.created)).toBe(true);
      const messages = await read('mail.message', [['model', '=', 'res.partner'], ['res_id', '=', Number(contact.id)]], ['body', 'subtype_id', 'message_type', 'author_id']);
      expect(messages).toHaveLength(150);
      expect(messages.every((m) => (m.subtype_id as [number, string])[1] === 'Note' && m.message_type === 'comment' && (m.author_id as [number])[0] === 3)).toBe(true);
      expect(new Set(outcomes.slice(0, 150).map((o) => okRef(o).id))).toEqual(new Set(messages.map((m) => String(m.id))));
      expect(await read('mail.activity', [['res_id', '=', Number(contact.id)]], ['id'])).toHaveLength(150);

      const replayBefore = await requests();
      const replay = await out.writeActivities(ctx, [activity('n0', 'note', contact, { maybeWritten: true }), activity('t0', 'task', contact, { maybeWritten: true })]);
      // maybeWritten true still reads back (messages and activities), and finds both.
      expect((await requests()) - replayBefore).toBe(2);
      expect(replay.map((o) => o.ok && o.created)).toEqual([false, false]);
    });

    it('a note on a deleted partner fails alone in its batch', async () => {
      const contact = await partner();
      const outcomes = await out.writeActivities(context(), [
        activity('n1', 'note', contact),
        activity('n2', 'note', { object: 'res.partner', id: '99999' }),
        activity('n3', 'note', contact),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(failure(outcomes[1]).kind).toBe('not_found');
      expect(await read('mail.message', [['model', '=', 'res.partner'], ['res_id', '=', Number(contact.id)], ['body', 'ilike', 'crm-sync:']], ['id'])).toHaveLength(2);
    });

    it('a bad activity fails alone', async () => {
      const contact = await partner();
      const outcomes = await out.writeActivities(context(), [
        activity('t1', 'task', contact),
        activity('t2', 'task', contact, { ownerId: '9999' }),
        activity('t3', 'call', contact),
        activity('n1', 'note', { object: 'res.partner', id: '99999' }),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
      expect(failure(outcomes[1]).kind).toBe('invalid');
      expect(failure(outcomes[3]).kind).toBe('not_found');
    });
  });

  describe('companies', () => {
    const company = (n: number, extra: Partial<CanonicalCompany> = {}): CanonicalCompany => ({ companyId: `co-${n}`, properties: {}, ...extra });
    const companies = async () => read('res.partner', [['is_company', '=', true], ['id', '>', 1]], ['name', 'ref', 'website', 'phone']);

    it('creates company partners keyed by our company id in ref; a replay updates them', async () => {
      const items = [
        { company: company(1, { name: 'Acme', domain: 'acme.io', properties: { phone: '+34911222333' } }), allowCreate: true },
        { company: company(2, { domain: 'globex.com' }), allowCreate: true },
      ];
      const first = await out.upsertCompanies!(context(), items);
      expect(first.map((o) => o.ok && o.created)).toEqual([true, true]);
      expect(await companies()).toEqual([
        { id: Number(okRef(first[0]).id), name: 'Acme', ref: 'crm-sync-company:co-1', website: 'https://acme.io', phone: '+34911222333' },
        { id: Number(okRef(first[1]).id), name: 'globex.com', ref: 'crm-sync-company:co-2', website: 'https://globex.com', phone: false },
      ]);
      const again = await out.upsertCompanies!(context(), items);
      expect(again.map((o) => o.ok && !o.created && okRef(o).id)).toEqual(first.map((o) => okRef(o).id));
      expect(await companies()).toHaveLength(2);
    });

    it('matches by our key, then the account id in ref, then the website domain (the oldest); never a person', async () => {
      const account = await create('res.partner', { name: 'By account', is_company: true, ref: 'ACC-7', website: 'https://elsewhere.example' });
      const web = await create('res.partner', { name: 'By web', is_company: true, website: 'http://www.Globex.com/en' });
      await create('res.partner', { name: 'By web, later', is_company: true, website: 'https://globex.com' });
      await create('res.partner', { name: 'Not the same', is_company: true, website: 'https://notglobex.com' });
      await create('res.partner', { name: 'A person', website: 'https://initech.io' });
      const [mine] = await out.upsertCompanies!(context(), [{ company: company(9, { name: 'Ours' }), allowCreate: true }]);
      const found = await out.matchCompanies!(context(), [
        company(1, { externalAccountId: 'ACC-7', domain: 'globex.com' }),
        company(2, { domain: 'globex.com' }),
        company(3, { domain: 'initech.io' }),
        company(4, { domain: 'lobex.com' }),
        company(9, { domain: 'globex.com' }),
      ]);
      expect(Object.fromEntries(found)).toEqual({
        'co-1': { object: 'res.partner', id: String(account) },
        'co-2': { object: 'res.partner', id: String(web) },
        'co-9': okRef(mine),
      });
    });

    it('an update writes only what differs: a website of the same domain and a ref already there are kept', async () => {
      const id = await create('res.partner', { name: 'Acme Old', is_company: true, ref: 'ACC-7', website: 'http://www.acme.io/' });
      const bare = await create('res.partner', { name: 'Bare', is_company: true });
      const ctx = context();
      const [updated, claimed] = await out.upsertCompanies!(ctx, [
        { company: company(1, { name: 'Acme', domain: 'acme.io', externalAccountId: 'ACC-7' }), existing: { object: 'res.partner', id: String(id) }, allowCreate: false },
        { company: company(2, { domain: 'bare.io' }), existing: { object: 'res.partner', id: String(bare) }, allowCreate: false },
      ]);
      expect([updated, claimed].map((o) => o?.ok && !o.created)).toEqual([true, true]);
      expect(await companies()).toEqual([
        { id, name: 'Acme', ref: 'ACC-7', website: 'http://www.acme.io/', phone: false },
        { id: bare, name: 'Bare', ref: 'crm-sync-company:co-2', website: 'https://bare.io', phone: false },
      ]);
    });

    it('a create whose answer was lost is found by its key; update-only does not create; a bad value fails alone', async () => {
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const [lost] = await out.upsertCompanies!(context({ writeTimeoutMs: 500 }), [{ company: company(1, { name: 'Lost' }), allowCreate: true }]);
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0 });
      const [replayed, skipped, bad] = await out.upsertCompanies!(context(), [
        { company: company(1, { name: 'Lost' }), allowCreate: true },
        { company: company(2, { name: 'Skipped' }), allowCreate: false },
        { company: company(3, { name: 'Bad', properties: { company_type: 'alien' } }), allowCreate: true },
      ]);
      expect(replayed).toMatchObject({ ok: true, created: false });
      expect(failure(skipped).kind).toBe('not_found');
      expect(failure(bad)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('company_type = "alien"') });
      expect((await companies()).map((c) => c.name)).toEqual(['Lost']);
    });

    it("a client's synced company is its parent, and no company is made from the name", async () => {
      const [co] = await out.upsertCompanies!(context(), [{ company: company(1, { name: 'Initech' }), allowCreate: true }]);
      const [person] = await out.upsertContacts(context(), [{ contact: client(1, { company: 'Initech Ltd', companyRef: okRef(co) }), allowCreate: true }]);
      const [row] = await read('res.partner', [['id', '=', Number(okRef(person).id)]], ['parent_id']);
      expect((row?.parent_id as [number])[0]).toBe(Number(okRef(co).id));
      expect((await companies()).map((c) => c.name)).toEqual(['Initech']);
    });
  });

  describe('deals', () => {
    const deal = (contact: CrmRef, extra: Partial<CanonicalDeal> = {}): CanonicalDeal => ({ key: 'deal-1', contact, title: '50 seats', amount: 50000, currency: 'EUR', closeDate: '2026-12-31', ownerId: '6', ...extra });
    const leads = async () => read('crm.lead', [], ['name', 'type', 'partner_id', 'expected_revenue', 'date_deadline', 'user_id', 'description', 'active']);

    it('creates an opportunity for the contact once: a replay, also after a lost answer, finds it by its key', async () => {
      const contact = { object: 'res.partner', id: String(await create('res.partner', { name: 'Buyer' })) };
      await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
      const lost = await out.createDeal!(context({ writeTimeoutMs: 500 }), deal(contact));
      expect(failure(lost).kind).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 1200));
      await settings({ timeoutRate: 0 });
      const replayed = await out.createDeal!(context(), deal(contact));
      expect(replayed).toMatchObject({ ok: true, created: false, ref: { object: 'crm.lead' } });
      const rows = await leads();
      expect(rows).toEqual([
        { id: Number(okRef(replayed).id), name: '50 seats', type: 'opportunity', partner_id: [Number(contact.id), 'Buyer'], expected_revenue: 50000, date_deadline: '2026-12-31', user_id: [6, 'Sam Seller'], description: '<p><small>[crm-sync-deal:deal-1]</small></p>', active: true },
      ]);
      // Lost or archived, it is still the deal of this key.
      await call('crm.lead', 'write', { ids: [rows[0]!.id], vals: { active: false } });
      expect(await out.createDeal!(context(), deal(contact))).toMatchObject({ ok: true, created: false });
      const other = await out.createDeal!(context(), deal(contact, { key: 'deal-2', title: 'Renewal', amount: undefined, closeDate: undefined, ownerId: undefined }));
      expect(other).toMatchObject({ ok: true, created: true });
      expect(await out.findOpenDeal(context(), contact)).toEqual(okRef(other));
    });

    it('finds the open opportunities of many contacts in one search', async () => {
      const [a, b, c] = await Promise.all(['A', 'B', 'C'].map(async (name) => ({ object: 'res.partner', id: String(await create('res.partner', { name })) })));
      const older = okRef(await out.createDeal!(context(), deal(a!, { key: 'a1' })));
      const newer = okRef(await out.createDeal!(context(), deal(a!, { key: 'a2' })));
      const forB = okRef(await out.createDeal!(context(), deal(b!, { key: 'b1' })));
      expect(older.id).not.toBe(newer.id);
      const before = await requests();
      expect(Object.fromEntries(await out.findOpenDeals!(context(), [a!, b!, c!]))).toEqual({ [a!.id]: newer, [b!.id]: forB });
      expect((await requests()) - before).toBe(1);
    });

    it('refuses a deal for what is not a contact, or with a close date Odoo cannot read, creating nothing', async () => {
      expect(failure(await out.createDeal!(context(), deal({ object: 'crm.lead', id: '1' }))).kind).toBe('invalid');
      const contact = { object: 'res.partner', id: String(await create('res.partner', { name: 'Buyer' })) };
      expect(failure(await out.createDeal!(context(), deal(contact, { closeDate: '31/12/2026' })))).toMatchObject({ kind: 'invalid', message: expect.stringContaining('"31/12/2026"') });
      expect(failure(await out.createDeal!(context(), deal(contact, { ownerId: '9999' }))).kind).toBe('invalid');
      expect(await leads()).toEqual([]);
    });
  });

  describe('owners, opportunities, properties', () => {
    it('finds users by login or e-mail, whatever the case', async () => {
      expect(await out.findOwnerByEmail(context(), ' Admin@Sandbox.crm-sync.test ')).toBe('2');
      expect(await out.findOwnerByEmail(context(), 'nobody@sandbox.crm-sync.test')).toBeUndefined();
    });

    it('lists the users once for every e-mail a connection meets', async () => {
      const ctx = context();
      const before = await requests();
      expect(await out.findOwnerByEmail(ctx, 'sam.seller@sandbox.crm-sync.test')).toBe('6');
      expect(await out.findOwnerByEmail(ctx, 'RITA.rep@sandbox.crm-sync.test')).toBe('7');
      expect(await out.findOwnerByEmail(ctx, 'nobody@sandbox.crm-sync.test')).toBeUndefined();
      expect((await requests()) - before).toBe(1);
    });

    it("finds a partner's open opportunity, not a won, archived or plain lead", async () => {
      const contact = { object: 'res.partner', id: String(await create('res.partner', { name: 'Buyer' })) };
      const won = (await read('crm.stage', [['is_won', '=', true]], ['id']))[0]?.id;
      await create('crm.lead', { name: 'Won', type: 'opportunity', partner_id: Number(contact.id), stage_id: won });
      await create('crm.lead', { name: 'Archived', type: 'opportunity', partner_id: Number(contact.id), active: false });
      await create('crm.lead', { name: 'Lead', type: 'lead', partner_id: Number(contact.id) });
      expect(await out.findOpenDeal(context(), contact)).toBeUndefined();
      const open = await create('crm.lead', { name: 'Open', type: 'opportunity', partner_id: Number(contact.id) });
      expect(await out.findOpenDeal(context(), contact)).toEqual({ object: 'crm.lead', id: String(open) });
    });

    it("describes res.partner's fields: types, selection options, read-only", async () => {
      const props = Object.fromEntries((await out.describeContactProperties(context())).map((p) => [p.name, p]));
      expect(props.company_type).toEqual({ name: 'company_type', label: 'Company Type', type: 'picklist', options: ['person', 'company'], readOnly: false });
      expect(props.email).toMatchObject({ type: 'string', readOnly: false });
      expect(props.is_company?.type).toBe('boolean');
      expect(props.create_date).toMatchObject({ type: 'datetime', readOnly: true });
      expect(props.country_id?.type).toBe('other');
    });
  });
});

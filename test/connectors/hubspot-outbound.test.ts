import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../src/connectors/errors.js';
import { failureFromStatus } from '../../src/connectors/http/classify.js';
import { createCrmHttp, type CrmHttp, type CrmRequest } from '../../src/connectors/http/client.js';
import { hubspotConnection as connection } from '../../src/connectors/hubspot/connection.js';
import { hubspotOutbound as hubspot } from '../../src/connectors/hubspot/outbound.js';
import type { CanonicalActivity, CanonicalContact, OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import type { Credentials } from '../../src/connectors/types.js';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';

type Row = Record<string, string | boolean>;

describe('HubSpot outbound connector against the sandbox', () => {
  let sb: RunningSandbox;
  let baseUrl: string;
  let credentials: Credentials;

  beforeAll(async () => {
    sb = await startSandbox();
    const control = (await (await fetch(`${sb.origin}/sandbox/__control`)).json()) as {
      crms: { hubspot: { baseUrl: string; credentials: { privateAppToken: string } } };
    };
    baseUrl = control.crms.hubspot.baseUrl;
    credentials = { method: 'api_key', apiKey: control.crms.hubspot.credentials.privateAppToken };
  });
  beforeEach(async () => {
    await fetch(`${sb.origin}/sandbox/__control/reset?crm=hubspot`, { method: 'POST' });
    await settings({ rateLimitFactor: 0 });
  });
  afterAll(() => sb.close());

  const settings = (patch: Record<string, number>) =>
    fetch(`${sb.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'hubspot', ...patch }) });

  /** A plain authenticated http (the retrying layer is not part of these tests), optionally wrapped. */
  function context(options: { timeoutMs?: number; around?: (req: CrmRequest, next: CrmHttp) => ReturnType<CrmHttp> } = {}): OutboundContext {
    const target = { baseUrl };
    const plain = createCrmHttp({ timeoutMs: options.timeoutMs });
    const authed: CrmHttp = (req) => plain({ ...req, headers: { ...connection.authHeaders(credentials, target), ...req.headers } });
    const http: CrmHttp = options.around ? (req) => options.around!(req, authed) : authed;
    return { http, apiBase: connection.apiBase(target), target, cache: new Map(), destination: { leadSourceValue: 'crm-sync' } };
  }

  /** Calls HubSpot's API directly, as a person or another integration would. */
  async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await context().http({ method: method as CrmRequest['method'], url: `${baseUrl}${path}`, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body as Record<string, unknown>;
  }

  async function records(object: string): Promise<Row[]> {
    const dump = (await (await fetch(`${sb.origin}/sandbox/__control/records?crm=hubspot`)).json()) as { hubspot: Record<string, Row[]> };
    return (dump.hubspot[object] ?? []).filter((r) => r.archived !== true);
  }

  async function requests(): Promise<{ requests: number; byStatus: Record<string, number> }> {
    const stats = (await (await fetch(`${sb.origin}/sandbox/__control/stats`)).json()) as Record<string, { requests: number; byStatus: Record<string, number> }>;
    return stats.hubspot as { requests: number; byStatus: Record<string, number> };
  }

  const contact = (clientId: string, over: Partial<CanonicalContact> = {}): CanonicalContact => ({
    clientId,
    emails: [],
    phones: [],
    fallbackName: `New WhatsApp contact: ${clientId}`,
    properties: {},
    ...over,
  });

  const okRef = (o: RecordOutcome | undefined) => {
    if (!o?.ok) throw new Error(`expected success, got ${o && !o.ok ? o.error.message : 'nothing'}`);
    return o;
  };
  const failed = (o: RecordOutcome | undefined): CrmError => {
    if (!o || o.ok) throw new Error('expected a failure');
    return o.error;
  };

  describe('contacts', () => {
    it('creates contacts with the standard mapping, the client id, and the fallback name only when both names are missing', async () => {
      const ctx = context();
      const out = await hubspot.upsertContacts(ctx, [
        {
          allowCreate: true,
          contact: contact('c-1', {
            firstName: 'Ana',
            lastName: 'García',
            emails: ['ana@example.com'],
            phones: ['+34600111222', '+34600999888'],
            company: 'Acme',
            address: { street: 'Gran Vía 1', city: 'Madrid', state: 'M', zip: '28013', country: 'Spain' },
            ownerId: '71000002',
            properties: { lifecyclestage: 'lead', jobtitle: 'CTO' },
          }),
        },
        { allowCreate: true, contact: contact('c-2', { phones: ['+34600222333'] }) },
        { allowCreate: true, contact: contact('c-3', { emails: ['nameless@example.com'] }) },
      ]);
      expect(out.map((o) => o.ok && o.created)).toEqual([true, true, true]);
      const rows = await records('contacts');
      expect(rows).toHaveLength(3);
      const byClient = (id: string) => rows.find((r) => r.crm_sync_client_id === id) as Row;
      expect(byClient('c-1')).toMatchObject({
        id: okRef(out[0]).ref.id,
        firstname: 'Ana',
        lastname: 'García',
        email: 'ana@example.com',
        phone: '+34600111222',
        mobilephone: '+34600999888',
        company: 'Acme',
        address: 'Gran Vía 1',
        city: 'Madrid',
        state: 'M',
        zip: '28013',
        country: 'Spain',
        hubspot_owner_id: '71000002',
        lifecyclestage: 'lead',
        jobtitle: 'CTO',
      });
      expect(byClient('c-2')).toMatchObject({ firstname: 'New WhatsApp contact: c-2', phone: '+34600222333' });
      expect(byClient('c-2').lastname).toBeUndefined();
      expect(byClient('c-3')).toMatchObject({ firstname: 'New WhatsApp contact: c-3', email: 'nameless@example.com' });
    });

    it('never creates two records for one client id on replay, with or without e-mail, under search lag', async () => {
      const items = [
        { allowCreate: true, contact: contact('c-1', { firstName: 'Ana', emails: ['ana@example.com'] }) },
        { allowCreate: true, contact: contact('c-2', { firstName: 'Bo', phones: ['+34600222333'] }) },
      ];
      const first = await hubspot.upsertContacts(context(), items);
      await settings({ searchLagMs: 60_000 });
      const again = await hubspot.upsertContacts(context(), [...items, items[1] as (typeof items)[number]]);
      expect(again.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      expect(again.map((o) => okRef(o).ref.id)).toEqual([...first, first[1]].map((o) => okRef(o).ref.id));
      const twice = await hubspot.upsertContacts(context(), [{ allowCreate: true, contact: contact('c-3') }, { allowCreate: true, contact: contact('c-3') }]);
      expect(okRef(twice[1]).ref).toEqual(okRef(twice[0]).ref);
      expect(await records('contacts')).toHaveLength(3);
    });

    it('replays a write that timed out after HubSpot committed it without a second record', async () => {
      const warm = context();
      await hubspot.upsertContacts(warm, [{ allowCreate: true, contact: contact('c-0', { phones: ['+34600000000'] }) }]);

      // The fault is armed right before the write itself, so the read that precedes it answers.
      const armed = context({
        timeoutMs: 500,
        around: async (req, next) => {
          if (/\/contacts\/batch\/(create|upsert)$/.test(req.url)) await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
          return next(req);
        },
      });
      armed.cache = warm.cache;
      const withEmail = { allowCreate: true, contact: contact('c-1', { firstName: 'Ana', emails: ['ana@example.com'] }) }; // batch upsert
      const withoutEmail = { allowCreate: true, contact: contact('c-2', { firstName: 'Bo', phones: ['+34600222333'] }) }; // batch create
      for (const item of [withEmail, withoutEmail]) {
        await expect(hubspot.upsertContacts(armed, [item])).rejects.toMatchObject({ kind: 'unavailable' });
        expect((await records('contacts')).map((r) => r.crm_sync_client_id)).toContain(item.contact.clientId); // HubSpot did commit
        await settings({ timeoutRate: 0, searchLagMs: 60_000 });
        const [replay] = await hubspot.upsertContacts(context(), [item]);
        expect(okRef(replay).created).toBe(false);
      }
      const rows = await records('contacts');
      expect(rows.filter((r) => r.crm_sync_client_id === 'c-1')).toHaveLength(1);
      expect(rows.filter((r) => r.crm_sync_client_id === 'c-2')).toHaveLength(1);
      expect(rows).toHaveLength(3);
    });

    it('finds its own contact by client id after the e-mail changed between attempts', async () => {
      const [first] = await hubspot.upsertContacts(context(), [{ allowCreate: true, contact: contact('c-1', { firstName: 'Ana', emails: ['old@example.com'] }) }]);
      const [second] = await hubspot.upsertContacts(context(), [{ allowCreate: true, contact: contact('c-1', { firstName: 'Ana', emails: ['new@example.com'] }) }]);
      expect(okRef(second)).toMatchObject({ created: false, ref: okRef(first).ref });
      expect((await records('contacts')).map((r) => r.email)).toEqual(['new@example.com']);
    });

    it('merges on update: sends only what is known, keeps what HubSpot has and never renames to the fallback name', async () => {
      const ctx = context();
      const [created] = await hubspot.upsertContacts(ctx, [
        { allowCreate: true, contact: contact('c-1', { firstName: 'Ana', lastName: 'García', emails: ['ana@example.com'], phones: ['+34600111222', '+34600999888'], company: 'Acme' }) },
      ]);
      const id = okRef(created).ref.id;
      await api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { jobtitle: 'CTO', website: 'https://acme.test' } });

      const [updated] = await hubspot.upsertContacts(ctx, [
        { allowCreate: true, existing: { object: 'contacts', id }, contact: contact('c-1', { emails: ['ana@example.com'], phones: ['+34600111000'], company: 'Acme Iberia' }) },
      ]);
      expect(okRef(updated)).toMatchObject({ created: false, ref: { id } });
      const [row] = await records('contacts');
      expect(row).toMatchObject({
        firstname: 'Ana', // not the fallback name
        lastname: 'García',
        phone: '+34600111000',
        mobilephone: '+34600999888',
        company: 'Acme Iberia',
        jobtitle: 'CTO',
        website: 'https://acme.test',
      });
    });

    it('upserts 100 contacts in one batch; an invalid e-mail fails alone, naming the field and the value', async () => {
      const ctx = context();
      await hubspot.matchContacts(ctx, []); // nothing to match: no calls
      const items = Array.from({ length: 100 }, (_, i) => ({
        allowCreate: true,
        contact: contact(`c-${i}`, { firstName: `P${i}`, emails: [i === 42 ? 'not-an-email' : `p${i}@example.com`] }),
      }));
      const before = (await requests()).requests;
      const out = await hubspot.upsertContacts(ctx, items);
      const calls = (await requests()).requests - before;

      expect(out.filter((o) => o.ok)).toHaveLength(99);
      const err = failed(out[42]);
      expect(err.kind).toBe('invalid');
      expect(err.message).toBe('HubSpot refused email = "not-an-email": Email address not-an-email is invalid');
      expect(await records('contacts')).toHaveLength(99);
      // property + read by client id + refused upsert + the bad one alone + the 99 again
      expect(calls).toBeLessThanOrEqual(5);
    });

    it('still finds the bad record when the http layer throws refusals instead of returning them', async () => {
      const throwing = context({
        around: async (req, next) => {
          const res = await next(req);
          if (res.status === 400 || res.status === 409) throw failureFromStatus('HubSpot', res, 'refused');
          return res;
        },
      });
      const items = Array.from({ length: 10 }, (_, i) => ({ allowCreate: true, contact: contact(`c-${i}`, { firstName: 'P', emails: [i === 4 ? 'bad@' : `p${i}@example.com`] }) }));
      const out = await hubspot.upsertContacts(throwing, items);
      expect(out.map((o) => o.ok)).toEqual([true, true, true, true, false, true, true, true, true, true]);
      expect(failed(out[4]).message).toBe('HubSpot refused email = "bad@": Email address bad@ is invalid');
    });

    it('reads a 207 partial batch record by record: a bad picklist value fails alone and the 99 others are created', async () => {
      const items = Array.from({ length: 100 }, (_, i) => ({
        allowCreate: true,
        contact: contact(`c-${i}`, { phones: [`+3460000${String(i).padStart(4, '0')}`], properties: { hs_lead_status: i === 7 ? 'HOT' : 'NEW' } }),
      }));
      const out = await hubspot.upsertContacts(context(), items);
      expect(out.filter((o) => o.ok && o.created)).toHaveLength(99);
      const err = failed(out[7]);
      expect(err.kind).toBe('invalid');
      expect(err.message).toMatch(/^HubSpot refused hs_lead_status = "HOT": HOT was not one of the allowed options/);
      expect((await requests()).byStatus['207']).toBeGreaterThanOrEqual(1);
      expect(await records('contacts')).toHaveLength(99);
    });

    it('fails an unknown property for every record that carries it, without resending them one by one', async () => {
      const items = Array.from({ length: 10 }, (_, i) => ({
        allowCreate: true,
        contact: contact(`c-${i}`, { emails: [`p${i}@example.com`], properties: i < 3 ? { shoe_size: 42 } : {} }),
      }));
      const before = (await requests()).requests;
      const out = await hubspot.upsertContacts(context(), items);
      // property, read by client id, refused upsert, the 7 others again, their fallback names
      expect((await requests()).requests - before).toBe(5);
      expect(out.map((o) => o.ok)).toEqual([false, false, false, true, true, true, true, true, true, true]);
      expect(failed(out[0]).message).toBe('HubSpot refused shoe_size = "42": Property "shoe_size" does not exist');
    });

    it('takes over the contact another writer created between our read and our write (409 CONFLICT)', async () => {
      let raced = false;
      const ctx = context({
        around: async (req, next) => {
          if (!raced && req.url.endsWith('/contacts/batch/create')) {
            raced = true;
            const other = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'race@example.com', lastname: 'Other' } });
            return { status: 409, headers: new Headers(), body: { status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${String(other.id)}` } };
          }
          return next(req);
        },
      });
      const [out] = await hubspot.upsertContacts(ctx, [{ allowCreate: true, contact: contact('c-1', { firstName: 'Ana', phones: ['+34600111222'] }) }]);
      expect(okRef(out).created).toBe(false);
      const rows = await records('contacts');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: okRef(out).ref.id, crm_sync_client_id: 'c-1', firstname: 'Ana', lastname: 'Other' });
    });

    it('reports a record it may not create under "update only", and an update that would take another contact\'s e-mail', async () => {
      const ctx = context();
      const [a, b] = await hubspot.upsertContacts(ctx, [
        { allowCreate: true, contact: contact('c-a', { emails: ['a@example.com'] }) },
        { allowCreate: true, contact: contact('c-b', { emails: ['b@example.com'] }) },
      ]);
      const out = await hubspot.upsertContacts(ctx, [
        { allowCreate: false, contact: contact('c-new', { emails: ['new@example.com'] }) },
        { allowCreate: true, existing: okRef(a).ref, contact: contact('c-a', { emails: ['b@example.com'] }) },
        { allowCreate: true, existing: okRef(b).ref, contact: contact('c-b', { firstName: 'Bea', emails: ['b@example.com'] }) },
      ]);
      expect(failed(out[0]).kind).toBe('not_found');
      expect(failed(out[1]).kind).toBe('conflict');
      expect(failed(out[1]).message).toContain(`Existing ID: ${okRef(b).ref.id}`);
      expect(okRef(out[2]).created).toBe(false);
      expect(await records('contacts')).toHaveLength(2);
    });
  });

  describe('matching', () => {
    it('matches by e-mail (any case) first, then phone in E.164 in phone or mobilephone, then the client id, in batches', async () => {
      const ana = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'Ana@Example.com', phone: '+34 600 11 22 33' } });
      const typed = await api('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Typed', phone: '+34 600 44 55 66' } });
      const mobile = await api('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Mobile', mobilephone: '+14155550123' } });
      const many = await Promise.all(Array.from({ length: 130 }, (_, i) => api('POST', '/crm/v3/objects/contacts', { properties: { email: `m${i}@example.com` } })));
      const ctx = context();
      await settings({ searchLagMs: 60_000 });
      const [ours] = await hubspot.upsertContacts(ctx, [{ allowCreate: true, contact: contact('c-ours', { phones: ['+34699000111'] }) }]);

      const before = (await requests()).requests;
      const matched = await hubspot.matchContacts(ctx, [
        // e-mail wins over a phone that belongs to another contact
        contact('c-ana', { emails: [' ANA@example.com'], phones: ['+34600445566'] }),
        contact('c-typed', { phones: ['+34600445566'] }),
        contact('c-mobile', { phones: ['+14155550123'] }),
        contact('c-ours', { phones: ['+34699000111'] }), // written a moment ago: invisible to search, found by client id
        contact('c-none', { emails: ['nobody@example.com'], phones: ['+34611111111'] }),
        ...many.map((_, i) => contact(`c-m${i}`, { emails: [`m${i}@example.com`] })),
      ]);
      const calls = (await requests()).requests - before;
      expect(matched.get('c-ana')).toEqual({ object: 'contacts', id: String(ana.id) });
      expect(matched.get('c-typed')).toEqual({ object: 'contacts', id: String(typed.id) });
      expect(matched.get('c-mobile')).toEqual({ object: 'contacts', id: String(mobile.id) });
      expect(matched.get('c-ours')).toEqual(okRef(ours).ref);
      expect(matched.has('c-none')).toBe(false);
      expect(many.every((m, i) => matched.get(`c-m${i}`)?.id === String(m.id))).toBe(true);
      // two searches (131 addresses, and the phones of the clients in each), one read by client id
      expect(calls).toBe(3);

      // Clients no earlier attempt wrote are only searched: the read by client id is left out.
      const first = (await requests()).requests;
      const fresh = await hubspot.matchContacts(ctx, [{ ...contact('c-new', { phones: ['+34699000999'] }), maybeWritten: false }, { ...contact('c-ana2', { emails: ['ana@example.com'] }), maybeWritten: false }]);
      expect((await requests()).requests - first).toBe(1);
      expect(fresh.get('c-ana2')).toEqual({ object: 'contacts', id: String(ana.id) });
      expect(fresh.has('c-new')).toBe(false);
    });
  });

  describe('activities', () => {
    async function contactAndDeal(ctx: OutboundContext) {
      const [c] = await hubspot.upsertContacts(ctx, [{ allowCreate: true, contact: contact('c-1', { firstName: 'Ana', emails: ['ana@example.com'] }) }]);
      const deal = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Acme renewal', dealstage: 'qualifiedtobuy', pipeline: 'default' } });
      return { contactRef: okRef(c).ref, dealRef: { object: 'deals', id: String(deal.id) } };
    }

    const activity = (key: string, kind: CanonicalActivity['kind'], over: Partial<CanonicalActivity> = {}): CanonicalActivity => ({
      key,
      kind,
      contact: { object: 'contacts', id: '0' },
      subject: `Subject ${key}`,
      body: `Body of ${key}`,
      occurredAt: '2026-03-02T10:00:00.000Z',
      ...over,
    });

    it('writes notes, tasks, calls, meetings and transcripts associated with the contact and its deal', async () => {
      const ctx = context();
      const { contactRef, dealRef } = await contactAndDeal(ctx);
      const on = { contact: contactRef, deal: dealRef, ownerId: '71000001' };
      const out = await hubspot.writeActivities(ctx, [
        activity('n-1', 'note', { ...on, subject: 'WhatsApp', body: 'Wants <b>50</b> seats & a discount.\nCall back Monday.\n\nBudget approved.' }),
        activity('t-1', 'task', { ...on, subject: 'Send the quote', body: 'By Friday', dueAt: '2026-03-06T17:00:00.000Z' }),
        activity('k-1', 'call', { ...on, subject: 'Discovery call', endAt: '2026-03-02T10:12:30.000Z' }),
        activity('m-1', 'meeting', { ...on, subject: 'Demo', endAt: '2026-03-02T11:00:00.000Z' }),
        activity('x-1', 'transcript', { contact: contactRef, subject: 'WhatsApp chat', body: 'Ana: hola\nUs: hi' }),
      ]);
      expect(out.map((o) => o.ok && o.created)).toEqual([true, true, true, true, true]);
      expect(out.map((o) => okRef(o).ref.object)).toEqual(['notes', 'tasks', 'calls', 'meetings', 'notes']);

      const notes = await records('notes');
      expect(notes.find((n) => n.crm_sync_key === 'n-1')).toMatchObject({
        hs_note_body: '<p><strong>WhatsApp</strong></p><p>Wants &lt;b&gt;50&lt;/b&gt; seats &amp; a discount.<br>Call back Monday.</p><p>Budget approved.</p>',
        hs_timestamp: '2026-03-02T10:00:00.000Z',
        hubspot_owner_id: '71000001',
      });
      expect(notes.find((n) => n.crm_sync_key === 'x-1')?.hs_note_body).toBe('<p><strong>Transcript: WhatsApp chat</strong></p><p>Ana: hola<br>Us: hi</p>');
      expect((await records('tasks'))[0]).toMatchObject({
        hs_task_subject: 'Send the quote',
        hs_task_body: '<p>By Friday</p>',
        hs_timestamp: '2026-03-06T17:00:00.000Z',
        hs_task_status: 'NOT_STARTED',
        hs_task_priority: 'MEDIUM',
      });
      expect((await records('calls'))[0]).toMatchObject({ hs_call_title: 'Discovery call', hs_call_duration: '750000', hs_timestamp: '2026-03-02T10:00:00.000Z' });
      expect((await records('meetings'))[0]).toMatchObject({
        hs_meeting_title: 'Demo',
        hs_meeting_start_time: '2026-03-02T10:00:00.000Z',
        hs_meeting_end_time: '2026-03-02T11:00:00.000Z',
      });

      // Read the links back from HubSpot's v4 associations, both ways.
      const noteId = okRef(out[0]).ref.id;
      const links = async (from: string, id: string, to: string) =>
        ((await api('GET', `/crm/v4/objects/${from}/${id}/associations/${to}`)).results as { toObjectId: number; associationTypes: { typeId: number }[] }[]).map((r) => ({
          id: String(r.toObjectId),
          types: r.associationTypes.map((t) => t.typeId),
        }));
      expect(await links('notes', noteId, 'contacts')).toEqual([{ id: contactRef.id, types: [202] }]);
      expect(await links('notes', noteId, 'deals')).toEqual([{ id: dealRef.id, types: [214] }]);
      expect(await links('tasks', okRef(out[1]).ref.id, 'deals')).toEqual([{ id: dealRef.id, types: [216] }]);
      expect(await links('calls', okRef(out[2]).ref.id, 'contacts')).toEqual([{ id: contactRef.id, types: [194] }]);
      expect(await links('meetings', okRef(out[3]).ref.id, 'deals')).toEqual([{ id: dealRef.id, types: [212] }]);
      expect((await links('deals', dealRef.id, 'notes')).map((l) => l.id)).toEqual([noteId]); // the transcript has no deal
      expect(await links('contacts', contactRef.id, 'notes')).toHaveLength(2);
    });

    it('never doubles a note or task on replay, also after a timeout after commit and under search lag', async () => {
      const ctx = context();
      const { contactRef } = await contactAndDeal(ctx);
      const batch = [activity('n-1', 'note', { contact: contactRef }), activity('t-1', 'task', { contact: contactRef, dueAt: '2026-03-06T17:00:00.000Z' })];
      await hubspot.writeActivities(ctx, [activity('n-0', 'note', { contact: contactRef })]); // warm the key properties
      await hubspot.writeActivities(ctx, [activity('t-0', 'task', { contact: contactRef })]);

      const armed = context({
        timeoutMs: 500,
        around: async (req, next) => {
          if (/\/(notes|tasks)\/batch\/create$/.test(req.url)) await settings({ timeoutRate: 1, timeoutDelayMs: 1500 });
          return next(req);
        },
      });
      armed.cache = ctx.cache;
      await expect(hubspot.writeActivities(armed, batch)).rejects.toMatchObject({ kind: 'unavailable' });
      await settings({ timeoutRate: 0, searchLagMs: 60_000 });

      const replay = await hubspot.writeActivities(ctx, batch);
      expect(replay.every((o) => o.ok)).toBe(true);
      const again = await hubspot.writeActivities(context(), [...batch, batch[0] as CanonicalActivity]);
      expect(again.map((o) => o.ok && o.created)).toEqual([false, false, false]);
      expect((await records('notes')).filter((n) => n.crm_sync_key === 'n-1')).toHaveLength(1);
      expect((await records('tasks')).filter((n) => n.crm_sync_key === 't-1')).toHaveLength(1);
    });

    it('creates 100 notes in one call; a bad owner id fails alone (207) naming the field and the value', async () => {
      const ctx = context();
      const { contactRef } = await contactAndDeal(ctx);
      const notes = Array.from({ length: 100 }, (_, i) => activity(`n-${i}`, 'note', { contact: contactRef, ownerId: i === 13 ? '99999' : '71000003' }));
      const before = (await requests()).requests;
      const out = await hubspot.writeActivities(ctx, notes);
      expect((await requests()).requests - before).toBe(3); // key property, read by key, batch create
      expect(out.filter((o) => o.ok)).toHaveLength(99);
      expect(failed(out[13]).message).toBe('HubSpot refused hubspot_owner_id = "99999": 99999 is not a valid owner id');
      expect(await records('notes')).toHaveLength(99);
    });
  });

  describe('lookups', () => {
    it('finds owners by e-mail, in any case, listing the owners once for every e-mail', async () => {
      const ctx = context();
      const before = (await requests()).requests;
      expect(await hubspot.findOwnerByEmail(ctx, 'Sales@Sandbox.crm-sync.test')).toBe('71000002');
      expect(await hubspot.findOwnerByEmail(ctx, 'nobody@sandbox.crm-sync.test')).toBeUndefined();
      expect(await hubspot.findOwnerByEmail(ctx, 'support@sandbox.crm-sync.test')).toBe('71000003');
      expect((await requests()).requests - before).toBe(1);
    });

    it("finds the contact's open deal, not a closed one or another contact's", async () => {
      const ctx = context();
      const [c] = await hubspot.upsertContacts(ctx, [{ allowCreate: true, contact: contact('c-1', { emails: ['ana@example.com'] }) }]);
      const id = okRef(c).ref.id;
      expect(await hubspot.findOpenDeal(ctx, okRef(c).ref)).toBeUndefined();
      const deal = async (dealstage: string, linked: boolean) => {
        const d = await api('POST', '/crm/v3/objects/deals', { properties: { dealname: dealstage, dealstage, pipeline: 'default' } });
        if (linked) await api('PUT', `/crm/v4/objects/deals/${String(d.id)}/associations/default/contacts/${id}`);
        return String(d.id);
      };
      await deal('closedwon', true);
      const open = await deal('contractsent', true);
      await deal('closedlost', true);
      await deal('qualifiedtobuy', false);
      expect(await hubspot.findOpenDeal(ctx, okRef(c).ref)).toEqual({ object: 'deals', id: open });
    });

    it('describes contact properties: picklists with options, numbers, booleans, dates, read-only values', async () => {
      const ctx = context();
      await api('POST', '/crm/v3/properties/contacts', { name: 'vip', label: 'VIP', type: 'bool', fieldType: 'booleancheckbox', groupName: 'contactinformation', options: [] });
      await hubspot.matchContacts(ctx, [contact('c-1')]); // creates crm_sync_client_id
      const props = new Map((await hubspot.describeContactProperties(ctx)).map((p) => [p.name, p]));
      expect(props.get('lifecyclestage')).toMatchObject({ type: 'picklist', label: 'Lifecycle Stage', readOnly: false });
      expect(props.get('lifecyclestage')?.options).toEqual(expect.arrayContaining(['lead', 'customer']));
      expect(props.get('hs_lead_status')?.options).toContain('OPEN_DEAL');
      expect(props.get('email')).toMatchObject({ type: 'string', readOnly: false });
      expect(props.get('associatedcompanyid')).toMatchObject({ type: 'number' });
      expect(props.get('hs_object_id')).toMatchObject({ type: 'number', readOnly: true });
      expect(props.get('createdate')).toMatchObject({ type: 'datetime' });
      expect(props.get('vip')).toMatchObject({ type: 'boolean' });
      expect(props.get('hubspot_owner_id')).toMatchObject({ type: 'other' });
      expect(props.get('crm_sync_client_id')).toMatchObject({ readOnly: true });
    });
  });
});

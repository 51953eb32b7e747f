import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamicsConnection as dyn } from '../../src/connectors/dynamics/connection.js';
import { createCrmHttp, type CrmHttp } from '../../src/connectors/http/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = Record<string, unknown>;

/** The CRM client gives up after this; the sandbox's slow writes answer after TIMEOUT_DELAY_MS, having committed. */
const CLIENT_TIMEOUT_MS = 800;
const TIMEOUT_DELAY_MS = 1_500;

const CONVERSATION = {
  clientIds: ['d-42'],
  channel: 'call',
  title: 'Discovery call',
  startedAt: '2026-11-20T10:00:00Z',
  endedAt: '2026-11-20T10:30:00Z',
  summary: 'Ana wants 50 seats.',
  keyNotes: ['Budget 50k'],
  commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z' }],
};
const CLIENT = { firstName: 'Ana', lastName: 'Ruiz', emails: ['Ana@Acme.io'], phones: ['+34 600 111 222'], company: 'Acme' };

describe.each(TEST_DIALECTS)('outbound sync to Dynamics 365 on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  let token: string;
  let timeouts = 0;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Reads Dataverse as anyone would: the Web API with an application user's token. */
  const rows = async (set: string, query: Record<string, string>) => {
    const url = new URL(`${s.sandboxUrl('dynamics')}/api/data/v9.2/${set}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    return ((await res.json()) as { value: Row[] }).value;
  };
  const leadOf = async (clientId: string) => rows('leads', { $filter: `cs_crmsyncid eq '${clientId}'` });
  const regarding = async (set: 'annotations' | 'tasks' | 'phonecalls', id: string) => rows(set, { $filter: `${set === 'annotations' ? '_objectid_value' : '_regardingobjectid_value'} eq ${id}` });
  const present = <T>(list: T[]) => (list.length ? list : undefined);
  const logsOf = async (clientId: string, status = 'success') => (await api('GET', `/v1/sync-logs?clientId=${clientId}&status=${status}`)).body.items as { operation: string }[];
  const everything = async () =>
    JSON.stringify([
      await rows('contacts', { $select: 'contactid,fullname,emailaddress1,telephone1,modifiedon' }),
      await rows('leads', { $select: 'leadid,fullname,subject,companyname,emailaddress1,telephone1,modifiedon' }),
      await rows('accounts', { $select: 'accountid,name,modifiedon' }),
      await rows('annotations', { $select: 'annotationid,notetext,modifiedon' }),
      await rows('tasks', { $select: 'activityid,subject,modifiedon' }),
      await rows('phonecalls', { $select: 'activityid,subject,modifiedon' }),
    ]);

  beforeAll(async () => {
    // The CRM client as the app builds it, with a short timeout, counting the calls it gave up on.
    const base = createCrmHttp({ timeoutMs: CLIENT_TIMEOUT_MS });
    const http: CrmHttp = (req) =>
      base(req).catch((err: unknown) => {
        if (err instanceof Error && /did not answer within/.test(err.message)) timeouts++;
        throw err;
      });
    s = await startTestServer(dialect, { http });
    const account = (await s.account('dynamics')).credentials as Record<string, string>;
    const target = { baseUrl: s.sandboxUrl('dynamics'), instanceUrl: s.sandboxUrl('dynamics'), tenantId: account.tenantId };
    token = (await dyn.serviceToken!({ http: createCrmHttp(), target, clientId: account.clientId!, clientSecret: account.clientSecret! })).accessToken;
    const c = await api('POST', '/v1/connections', {
      crm: 'dynamics',
      auth: { method: 'service', clientId: account.clientId, clientSecret: account.clientSecret, instanceUrl: s.sandboxUrl('dynamics'), tenantId: account.tenantId },
      baseUrl: s.sandboxUrl('dynamics'),
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    connectionId = c.body.id as string;
    // These tests follow a client as a lead; contacts are the default (destination-settings.test.ts).
    const chosen = await api('PATCH', `/v1/connections/${connectionId}`, { settings: { destination: { module: 'lead' } } });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in Dynamics 365 as a lead within 2 seconds, and no contact is made', async () => {
    await api('PUT', '/v1/clients/d-42', CLIENT);
    const { value: leads, ms } = await until('the lead', async () => present(await leadOf('d-42')));
    expect(ms).toBeLessThan(2_000);
    expect(leads).toMatchObject([{ firstname: 'Ana', lastname: 'Ruiz', subject: 'crm-sync: Ana Ruiz', companyname: 'Acme', emailaddress1: 'ana@acme.io', telephone1: '+34600111222', statecode: 0 }]);
    expect(await rows('contacts', { $filter: "emailaddress1 eq 'ana@acme.io'" })).toEqual([]);
    // A lead keeps its company as text: no account is made for it.
    expect(await rows('accounts', { $filter: "name eq 'Acme'" })).toEqual([]);
    // The record can reach the CRM a moment before its pass writes the sync log.
    const { value: logs } = await until('the sync log', async () => present(await logsOf('d-42')));
    expect(logs[0]).toMatchObject({ operation: 'create_lead' });
  });

  it('a conversation becomes a note, a task and a phone call regarding the lead', async () => {
    await api('PUT', '/v1/conversations/dcv-1', CONVERSATION);
    const id = (await leadOf('d-42'))[0]!.leadid as string;
    const { value: notes } = await until('the note', async () => present(await regarding('annotations', id)));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ objecttypecode: 'lead' });
    expect(String(notes[0]!.notetext)).toContain('Ana wants 50 seats.');
    const { value: tasks } = await until('the task', async () => present(await regarding('tasks', id)));
    expect(tasks).toMatchObject([{ subject: 'Send the quote', scheduledend: '2026-11-22T00:00:00Z' }]);
    const { value: calls } = await until('the call', async () => present(await regarding('phonecalls', id)));
    expect(calls).toMatchObject([{ scheduledstart: '2026-11-20T10:00:00Z', actualdurationminutes: 30 }]);
    const { value: logs } = await until('the logs', async () => {
      const l = await logsOf('d-42');
      return l.length === 4 ? l : undefined;
    });
    expect(logs.map((l) => l.operation).sort()).toEqual(['add_activity', 'add_note', 'add_task', 'create_lead']);
  });

  it('a client whose e-mail matches an existing contact updates that contact, and no lead is made', async () => {
    const created = await fetch(`${s.sandboxUrl('dynamics')}/api/data/v9.2/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstname: 'Bea', lastname: 'Typed', emailaddress2: 'Bea@Example.test', jobtitle: 'CFO' }),
    });
    expect(created.status).toBe(204);
    const contactId = /\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1] as string;
    await api('PUT', '/v1/clients/d-43', { firstName: 'Bea', lastName: 'Known', emails: ['bea@example.test'], phones: ['+34 600 222 333'] });
    const { value: contact } = await until('the contact updated', async () => {
      const [c] = await rows('contacts', { $filter: `contactid eq ${contactId}` });
      return c?.lastname === 'Known' ? c : undefined;
    });
    expect(contact).toMatchObject({ firstname: 'Bea', lastname: 'Known', jobtitle: 'CFO', emailaddress1: 'bea@example.test', telephone1: '+34600222333' });
    await until('the sync log', async () => present(await logsOf('d-43')));
    expect(await leadOf('d-43')).toEqual([]);
    expect(await rows('leads', { $filter: "emailaddress1 eq 'bea@example.test'" })).toEqual([]);
  });

  it('the same requests again change nothing in Dynamics 365', async () => {
    const before = await everything();
    await api('PUT', '/v1/clients/d-42', CLIENT);
    await api('PUT', '/v1/conversations/dcv-1', CONVERSATION);
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(await everything()).toBe(before);
  });

  it('writes that commit but answer after crm-sync gave up leave one lead, one note, one task and one call', async () => {
    const fault = async (what: string, committed: () => Promise<unknown>) => {
      s.sandbox.configure({ timeoutRate: 1, timeoutDelayMs: TIMEOUT_DELAY_MS }, 'dynamics');
      const gaveUp = timeouts;
      const { value } = await until(what, async () => (timeouts > gaveUp ? ((await committed()) ?? undefined) : undefined), 30_000);
      s.sandbox.configure({ timeoutRate: 0 }, 'dynamics');
      expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
      return value;
    };
    // The lead's upsert first: the conversation waits for the client's record.
    await api('PUT', '/v1/clients/d-44', { firstName: 'Cai', emails: ['cai@example.test'] });
    const lead = (await fault('the lead, committed unheard', async () => (await leadOf('d-44'))[0])) as Row;
    await until('the lead reported done', async () => present(await logsOf('d-44')), 40_000);
    const id = lead.leadid as string;
    // Then the conversation's $batch of creates (not retried blindly: read back by key on the next pass).
    await api('PUT', '/v1/conversations/dcv-44', { ...CONVERSATION, clientIds: ['d-44'], summary: 'Cai is curious.', commitments: [{ text: 'Call Cai back', dueAt: '2026-11-23T00:00:00Z' }] });
    await fault('the note, committed unheard', async () => present(await regarding('annotations', id)));
    await until('every write reported done', async () => ((await logsOf('d-44')).length === 4 ? true : undefined), 40_000);
    expect(await leadOf('d-44')).toHaveLength(1);
    expect(await regarding('annotations', id)).toHaveLength(1);
    expect(await regarding('tasks', id)).toHaveLength(1);
    expect(await regarding('phonecalls', id)).toHaveLength(1);
  }, 90_000);
});

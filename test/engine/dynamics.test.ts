import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamicsConnection as dyn } from '../../src/connectors/dynamics/connection.js';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { until } from '../support/until.js';

type Row = Record<string, unknown>;


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
  const everything = async () =>
    JSON.stringify([
      await rows('contacts', { $select: 'contactid,fullname,emailaddress1,telephone1,modifiedon' }),
      await rows('accounts', { $select: 'accountid,name,modifiedon' }),
      await rows('annotations', { $select: 'annotationid,notetext,modifiedon' }),
      await rows('tasks', { $select: 'activityid,subject,modifiedon' }),
      await rows('phonecalls', { $select: 'activityid,subject,modifiedon' }),
    ]);

  beforeAll(async () => {
    s = await startTestServer(dialect);
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
    s.app.syncWorker.start();
  }, 60_000);
  afterAll(async () => {
    await s.app.syncWorker.stop();
    await s.close();
  });

  it('a new client appears in Dynamics 365 as a contact within 2 seconds', async () => {
    await api('PUT', '/v1/clients/d-42', CLIENT);
    const { value: contact, ms } = await until('the contact', async () => (await rows('contacts', { $filter: "emailaddress1 eq 'ana@acme.io'" }))[0]);
    expect(ms).toBeLessThan(2_000);
    const [acme] = await rows('accounts', { $filter: "name eq 'Acme'" });
    expect(contact).toMatchObject({ firstname: 'Ana', lastname: 'Ruiz', telephone1: '+34600111222', cs_crmsyncid: 'd-42', _parentcustomerid_value: acme?.accountid });
    // The record can reach the CRM a moment before its pass writes the sync log.
    const { value: logs } = await until('the sync log', async () => {
      const items = (await api('GET', '/v1/sync-logs?clientId=d-42')).body.items as { operation: string; status: string }[];
      return items.length ? items : undefined;
    });
    expect(logs[0]).toMatchObject({ operation: 'create_contact', status: 'success' });
  });

  it('a conversation becomes a note, a task and a phone call regarding the contact', async () => {
    await api('PUT', '/v1/conversations/dcv-1', CONVERSATION);
    const [contact] = await rows('contacts', { $filter: "emailaddress1 eq 'ana@acme.io'" });
    const id = contact!.contactid as string;
    const { value: notes } = await until('the note', async () => {
      const r = await rows('annotations', { $filter: `_objectid_value eq ${id}` });
      return r.length ? r : undefined;
    });
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.notetext)).toContain('Ana wants 50 seats.');
    const { value: tasks } = await until('the task', async () => {
      const r = await rows('tasks', { $filter: `_regardingobjectid_value eq ${id}` });
      return r.length ? r : undefined;
    });
    expect(tasks).toMatchObject([{ subject: 'Send the quote', scheduledend: '2026-11-22T00:00:00Z' }]);
    const { value: calls } = await until('the call', async () => {
      const r = await rows('phonecalls', { $filter: `_regardingobjectid_value eq ${id}` });
      return r.length ? r : undefined;
    });
    expect(calls).toMatchObject([{ scheduledstart: '2026-11-20T10:00:00Z', actualdurationminutes: 30 }]);
    await until('the logs', async () => {
      const logs = (await api('GET', '/v1/sync-logs?clientId=d-42&status=success')).body.items as { operation: string }[];
      return logs.length === 4 ? logs : undefined;
    });
    const logs = (await api('GET', '/v1/sync-logs?clientId=d-42&status=success')).body.items as { operation: string }[];
    expect(logs.map((l) => l.operation).sort()).toEqual(['add_activity', 'add_note', 'add_task', 'create_contact']);
  });

  it('the same requests again change nothing in Dynamics 365', async () => {
    const before = await everything();
    await api('PUT', '/v1/clients/d-42', CLIENT);
    await api('PUT', '/v1/conversations/dcv-1', CONVERSATION);
    expect((await api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(await everything()).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPendingChanges } from '../../src/store/outbox.js';
import { buildTestApp, storeFingerprint, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

describe.each(TEST_DIALECTS)('batch on %s', (dialect) => {
  let t: TestStore;
  let a: TestApp;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    a = await buildTestApp(t.store);
  });
  afterAll(async () => {
    await a.app.close();
    await t.cleanup();
  });

  const batch = (body: unknown) => a.app.inject({ method: 'POST', url: '/v1/batch', headers: a.auth, payload: body as object });
  const clients = Array.from({ length: 250 }, (_, i) => ({ id: `b-${i}`, firstName: `Client ${i}`, emails: [`client${i}@example.com`] }));

  it('writes many clients, companies and conversations in one request', async () => {
    const res = await batch({
      clients,
      companies: [{ id: 'acme', name: 'Acme', domain: 'https://www.acme.io/' }],
      conversations: [{ id: 'bc-1', clientIds: ['b-1'], channel: 'email', summary: 'Intro' }],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.clients).toHaveLength(250);
    expect(body.clients.every((r: { result: string }) => r.result === 'created')).toBe(true);
    expect(body.companies).toEqual([{ id: 'acme', result: 'created', version: 1 }]);
    expect(await countPendingChanges(t.store.db, a.workspace.workspaceId)).toBe(252);
    const company = (await a.app.inject({ method: 'GET', url: '/v1/companies/acme', headers: a.auth })).json();
    expect(company.domain).toBe('acme.io');
  });

  it('is idempotent: the same batch again is all unchanged', async () => {
    const res = await batch({ clients });
    expect(res.json().clients.every((r: { result: string }) => r.result === 'unchanged')).toBe(true);
    expect(await countPendingChanges(t.store.db, a.workspace.workspaceId)).toBe(252);
  });

  it('rejects the whole batch when one item is bad, naming it, and writes nothing', async () => {
    const before = await storeFingerprint(t.store);
    const res = await batch({
      clients: [{ id: 'new-1', firstName: 'Fine' }, { id: 'new-2', emails: ['broken'] }],
      conversations: [{ id: 'bc-2', channel: 'carrier-pigeon' }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('conversations[0].channel');
    expect(await storeFingerprint(t.store)).toBe(before);

    const semantic = await batch({ clients: [{ id: 'new-1', firstName: 'Fine' }, { id: 'new-2', emails: ['broken'] }] });
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json().error.details).toEqual([{ path: 'clients[1].emails[0]', message: expect.stringMatching(/^"broken" is not a valid e-mail address \(expected name@example.com/) }]);
    expect(await storeFingerprint(t.store)).toBe(before);
  });

  it('keeps the last of two items with the same id', async () => {
    const res = await batch({ clients: [{ id: 'dup', firstName: 'First' }, { id: 'dup', firstName: 'Second' }] });
    expect(res.json().clients).toEqual([{ id: 'dup', result: 'created', version: 1 }]);
    const got = (await a.app.inject({ method: 'GET', url: '/v1/clients/dup', headers: a.auth })).json();
    expect(got.firstName).toBe('Second');
  });
});

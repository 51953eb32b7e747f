import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPendingChanges } from '../../src/store/outbox.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

const ana = {
  firstName: 'Ana',
  lastName: 'Ruiz',
  emails: ['  Ana@ACME.io '],
  phones: ['600 111 222'],
  company: 'Acme',
  companyId: 'acme',
  address: { street: '', city: 'Madrid', state: '', zip: '28001', country: 'ES' },
  ownerEmail: 'seller@platform.io',
  segments: ['enterprise'],
  properties: { score: 87 },
};

describe.each(TEST_DIALECTS)('clients on %s', (dialect) => {
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

  const put = (id: string, body: unknown, headers: Record<string, string> = a.auth) =>
    a.app.inject({ method: 'PUT', url: `/v1/clients/${id}`, headers, payload: body as object });

  it('creates a client with normalised e-mails and phones, keeping the raw values', async () => {
    const res = await put('c-42', ana);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.result).toBe('created');
    expect(body.client.emails).toEqual([{ value: 'ana@acme.io', raw: '  Ana@ACME.io ' }]);
    expect(body.client.phones).toEqual([{ value: '+34600111222', raw: '600 111 222' }]);
    expect(body.client.version).toBe(1);
    expect(await countPendingChanges(t.store.db, a.workspace.workspaceId)).toBe(1);
  });

  it('treats the same body twice as unchanged and records no sync work', async () => {
    const res = await put('c-42', ana);
    expect(res.statusCode).toBe(200);
    expect(res.json().result).toBe('unchanged');
    expect(res.json().client.version).toBe(1);
    expect(await countPendingChanges(t.store.db, a.workspace.workspaceId)).toBe(1);
  });

  it('records exactly one pending change when a field changes', async () => {
    const res = await put('c-42', { ...ana, lastName: 'Ruiz García' });
    expect(res.json().result).toBe('updated');
    expect(res.json().client.version).toBe(2);
    expect(await countPendingChanges(t.store.db, a.workspace.workspaceId)).toBe(2);
  });

  it('reads a client back', async () => {
    const res = await a.app.inject({ method: 'GET', url: '/v1/clients/c-42', headers: a.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'c-42', lastName: 'Ruiz García', segments: ['enterprise'], properties: { score: 87 } });
  });

  it('names every bad field and writes nothing', async () => {
    const res = await put('c-43', { emails: ['ok@acme.io', 'nope'], phones: ['12'], firstName: 7, extra: true });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    const paths = error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['firstName']));
    expect((await a.app.inject({ method: 'GET', url: '/v1/clients/c-43', headers: a.auth })).statusCode).toBe(404);

    const semantic = await put('c-43', { emails: ['ok@acme.io', 'nope'], phones: ['12'] });
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json().error.details.map((d: { path: string }) => d.path)).toEqual(['emails[1]', 'phones[0]']);
  });

  it('refuses an e-mail with a trailing backslash or non-ASCII characters, saying what an address may hold', async () => {
    const res = await put('c-44', { emails: ['éana@acme.io\\'], ownerEmail: 'seller@platform.io\\' });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(['emails[0]', 'ownerEmail']);
    expect(details[0]!.message).toContain('"éana@acme.io\\\\" is not a valid e-mail address');
    expect(details[0]!.message).toMatch(/ASCII letters, digits/);
    expect((await a.app.inject({ method: 'GET', url: '/v1/clients/c-44', headers: a.auth })).statusCode).toBe(404);
  });

  it('refuses a missing or wrong API key with 401', async () => {
    expect((await put('c-1', ana, {})).statusCode).toBe(401);
    const wrong = await put('c-1', ana, { authorization: `Bearer ${a.workspace.apiKey.slice(0, -2)}xx` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthorized');
  });

  it("answers 404, not 403, for another workspace's client", async () => {
    const other = await buildTestApp(t.store);
    const res = await other.app.inject({ method: 'GET', url: '/v1/clients/c-42', headers: other.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    await other.app.close();
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const text = await a.app.inject({ method: 'PUT', url: '/v1/clients/c-9', headers: { ...a.auth, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
    const broken = await a.app.inject({ method: 'PUT', url: '/v1/clients/c-9', headers: { ...a.auth, 'content-type': 'application/json' }, payload: '{"firstName":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_json');
  });

  it('answers 413 past the body limit', async () => {
    const res = await put('c-big', { firstName: 'x'.repeat(5 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });
});

describe.each(TEST_DIALECTS)('text the databases cannot hold, on %s', (dialect) => {
  it('refuses a NUL character with a field error instead of failing the write', async () => {
    const t = await openTestStore(dialect);
    const a = await buildTestApp(t.store);
    const res = await a.app.inject({ method: 'PUT', url: '/v1/companies/acme', headers: a.auth, payload: { name: 'Ac\u0000me', properties: { 'k\u0000': 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['name', 'properties.k\u0000']);
    await a.app.close();
    await t.cleanup();
  });
});

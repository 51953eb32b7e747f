import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';
import { buildTestApp, storeFingerprint, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

const RUNS_PER_ROUTE = 2_000;

/** Values that are almost right: the fields the API knows, with values of every kind. */
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  // Any code units, lone surrogates included: PostgreSQL cannot store those, SQLite can.
  fc.string({ unit: 'binary', maxLength: 8 }),
  // Nesting deeper than any body needs, up to the depth that once overflowed the stack.
  fc.constantFrom(63, 65, 3_000).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  fc.constantFrom('', ' ', 'ana@acme.io', 'éana@acme.io\\', 'ana@acme..io', '\ud800', 'a\udc00b', 'ANA@ACME.IO ', '+34 600 111 222', 'not-an-email', '2026-11-20T10:00:00Z', 'yesterday', 'https://x.io', 'javascript:alert(1)', '\u0000', 'inbound', 'outbound', 'whatsapp', 'qualified', 'é'.repeat(300)),
);
const plausible = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys, 'unknownField', '__proto__', 'constructor'), anyValue, { maxKeys: 8 });

const clientKeys = ['firstName', 'lastName', 'emails', 'phones', 'company', 'companyId', 'address', 'ownerEmail', 'segments', 'properties'];
const conversationKeys = ['clientIds', 'participants', 'channel', 'isGroup', 'title', 'url', 'startedAt', 'endedAt', 'messages', 'summary', 'keyNotes', 'commitments', 'specificFields', 'qualification'];
const messageKeys = ['id', 'direction', 'author', 'text', 'sentAt', 'attachments', 'messages'];

/** A valid body with up to two fields replaced by anything (or left as it is). */
function mutated(valid: Record<string, unknown>, keys: string[]) {
  const edit = fc.tuple(fc.constantFrom(...keys), anyValue);
  return fc.array(edit, { maxLength: 2 }).map((edits) => ({ json: { ...valid, ...Object.fromEntries(edits) } }));
}

const VALID: Record<string, Record<string, unknown>> = {
  client: { firstName: 'Ana', emails: ['ana@acme.io'], phones: ['+34 600 111 222'] },
  company: { name: 'Acme', domain: 'acme.io' },
  conversation: { channel: 'whatsapp', clientIds: ['c-1'], summary: 'Quote', startedAt: '2026-11-20T10:00:00Z' },
  message: { id: 'm-1', direction: 'inbound', text: 'Hola', sentAt: '2026-11-20T10:00:00Z' },
  batch: { clients: [{ id: 'b-1', firstName: 'Ana' }] },
};

/** A request body: near-valid objects, valid-looking objects, arbitrary JSON, or bytes that are not JSON at all. */
function bodies(keys: string[], valid: Record<string, unknown>) {
  return fc.oneof(
    { weight: 3, arbitrary: mutated(valid, keys) },
    { weight: 4, arbitrary: plausible(keys).map((b) => ({ json: b })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((b) => ({ json: b })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw, type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((raw) => ({ raw, type: 'text/plain' })) },
    { weight: 1, arbitrary: fc.constant({ raw: '', type: 'application/json' }) },
  );
}

const ids = fc.oneof(fc.constantFrom('c-1', 'cv-1', 'x', 'a\u0000b'), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 190, maxLength: 220 }));

type Body = { json: unknown } | { raw: string; type: string };

describe.each(TEST_DIALECTS)('ingest routes under random input on %s', (dialect) => {
  let t: TestStore;
  let a: TestApp;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    a = await buildTestApp(t.store);
    // One real conversation, so message posts reach their validation and write paths.
    await a.app.inject({ method: 'PUT', url: '/v1/conversations/cv-1', headers: a.auth, payload: { channel: 'whatsapp' } });
  });
  afterAll(async () => {
    await a.app.close();
    await t.cleanup();
  });

  async function send(method: 'PUT' | 'POST', url: string, body: Body, tally: { accepted: number; rejected: number }) {
    const before = await storeFingerprint(t.store);
    const res =
      'json' in body
        ? await a.app.inject({ method, url, headers: { ...a.auth, 'content-type': 'application/json' }, payload: JSON.stringify(body.json) })
        : await a.app.inject({ method, url, headers: { ...a.auth, 'content-type': body.type }, payload: body.raw });
    expect(res.statusCode, res.body).toBeLessThan(500);
    if (res.statusCode >= 400) {
      tally.rejected++;
      const err = res.json().error;
      expect(typeof err.message).toBe('string');
      expect(Object.keys(ERRORS)).toContain(err.code);
      expect(ERRORS[err.code as keyof typeof ERRORS].status).toBe(res.statusCode);
      if (err.details !== undefined) for (const d of err.details) expect(typeof d.path).toBe('string');
      expect(await storeFingerprint(t.store)).toBe(before);
    } else {
      tally.accepted++;
      expect(res.statusCode).toBeGreaterThanOrEqual(200);
    }
  }

  const route = (name: string, method: 'PUT' | 'POST', path: (id: string) => string, keys: string[], valid: Record<string, unknown>) =>
    it(`${method} ${name}: ${RUNS_PER_ROUTE} random bodies give a 2xx or a 4xx with the error shape, and a 4xx writes nothing`, async () => {
      const tally = { accepted: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(ids, bodies(keys, valid), async (id, body) => send(method, path(encodeURIComponent(id)), body, tally)),
        { numRuns: RUNS_PER_ROUTE },
      );
      // Both paths must have been exercised, or the property proved little.
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.rejected).toBeGreaterThan(0);
    }, 240_000);

  route('/v1/clients/{id}', 'PUT', (id) => `/v1/clients/${id}`, clientKeys, VALID.client!);
  route('/v1/companies/{id}', 'PUT', (id) => `/v1/companies/${id}`, ['name', 'domain', 'externalAccountId', 'properties'], VALID.company!);
  route('/v1/conversations/{id}', 'PUT', (id) => `/v1/conversations/${id}`, conversationKeys, VALID.conversation!);
  route('/v1/conversations/{id}/messages', 'POST', () => '/v1/conversations/cv-1/messages', messageKeys, VALID.message!);
  route('/v1/batch', 'POST', () => '/v1/batch', ['clients', 'companies', 'conversations'], VALID.batch!);

  it('is still alive and healthy afterwards', async () => {
    const res = await a.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
  });
});

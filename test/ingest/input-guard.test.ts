import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, storeFingerprint, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

/** `{"a":{"a":...}}` nested `depth` times: 3,000 levels are about 18 KB. */
const nested = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
/** `[[...]]` nested `depth` times: 3,000 levels are 6 KB, the body. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * Input that PostgreSQL cannot store (NUL, a lone UTF-16 surrogate, an id beyond bigint) or
 * that would exhaust the stack (deep nesting) is refused with a 400 naming the field, on
 * both engines alike, before any route reads it.
 */
describe.each(TEST_DIALECTS)('input the store cannot take, on %s', (dialect) => {
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

  const send = (method: 'PUT' | 'POST', url: string, payload: string, headers: Record<string, string> = a.auth) =>
    a.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload });

  const expect400 = (res: { statusCode: number; json(): unknown }, path: string, message: RegExp) => {
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; details: { path: string; message: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details[0]!.path).toBe(path);
    expect(error.details[0]!.message).toMatch(message);
  };

  it.each([
    ['PUT', '/v1/clients/deep', true],
    ['PUT', '/v1/conversations/deep', true],
    ['POST', '/v1/batch', true],
    ['POST', '/v1/session', false],
  ] as const)('a body nested 3,000 levels deep is a 400 on %s %s', async (method, url, authed) => {
    const headers = authed ? a.auth : {};
    const before = await storeFingerprint(t.store);
    expect400(await send(method, url, nestedArrays(3000), headers), '(body)', /nested more than 64 levels/);
    expect400(await send(method, url, `{"properties":${nested(3000)}}`, headers), '(body)', /nested more than 64 levels/);
    expect(await storeFingerprint(t.store)).toBe(before);
  });

  it('a body within the depth limit reaches the route, which names what is wrong with it', async () => {
    const res = await send('PUT', '/v1/clients/shallow', `{"properties":${nested(60)}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].message).not.toMatch(/nested/);
  });

  it('a lone UTF-16 surrogate in a value or a key is a 400 naming it, and nothing is written', async () => {
    const before = await storeFingerprint(t.store);
    expect400(await send('PUT', '/v1/clients/sur', '{"firstName":"Ana \\ud800"}'), 'firstName', /surrogate/);
    expect400(await send('PUT', '/v1/clients/sur', '{"properties":{"x\\udc00":"1"}}'), 'properties.x\udc00', /surrogate/);
    expect400(await send('POST', '/v1/batch', '{"clients":[{"id":"b","lastName":"\\udbff"}]}'), 'clients[0].lastName', /surrogate/);
    // A proper pair (an emoji) is fine.
    expect((await send('PUT', '/v1/clients/sur', '{"firstName":"Ana \\ud83d\\ude00"}')).statusCode).toBe(201);
    expect(await storeFingerprint(t.store)).not.toBe(before);
  });

  it('a NUL in a path id is a 400 naming the parameter, for reads and writes', async () => {
    expect400(await a.app.inject({ method: 'GET', url: '/v1/clients/a%00b', headers: a.auth }), 'params.clientId', /NUL/);
    expect400(await a.app.inject({ method: 'GET', url: '/v1/conversations/a%00b', headers: a.auth }), 'params.conversationId', /NUL/);
    expect400(await a.app.inject({ method: 'GET', url: '/v1/deals/a%00b', headers: a.auth }), 'params.dealId', /NUL/);
    expect400(await send('PUT', '/v1/companies/a%00b', '{"name":"Acme"}'), 'params.companyId', /NUL/);
    expect400(await a.app.inject({ method: 'GET', url: '/v1/connections/a%00b', headers: a.auth }), 'params.id', /NUL/);
  });

  it('a NUL in the query is a 400 naming the parameter', async () => {
    expect400(await a.app.inject({ method: 'GET', url: '/v1/sync-logs?clientId=a%00b', headers: a.auth }), 'query.clientId', /NUL/);
    expect400(await a.app.inject({ method: 'GET', url: '/v1/sync-logs?operation=%00', headers: a.auth }), 'query.operation', /NUL/);
  });

  it('a sync-log cursor beyond the largest id is a 400 naming it; the largest is fine', async () => {
    expect400(await a.app.inject({ method: 'GET', url: '/v1/sync-logs?cursor=9223372036854775808', headers: a.auth }), 'query.cursor', /nextCursor/);
    expect400(await a.app.inject({ method: 'GET', url: '/v1/sync-logs?cursor=99999999999999999999999', headers: a.auth }), 'query.cursor', /nextCursor/);
    const ok = await a.app.inject({ method: 'GET', url: '/v1/sync-logs?cursor=9007199254740991', headers: a.auth });
    expect(ok.statusCode).toBe(200);
  });
});

import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { testAppDeps } from '../support/app.js';
import { openTestStore, type TestStore } from '../support/stores.js';

const MiB = 1024 * 1024;

/** A batch of about `bytes` (at least one client; names at their longest, 200 characters each). */
function batchOf(tag: string, bytes: number): string {
  const body = JSON.stringify({ clients: Array.from({ length: Math.max(1, Math.round(bytes / 450)) }, (_, i) => ({ id: `${tag}-${i}`, firstName: 'x'.repeat(200), lastName: 'y'.repeat(200) })) });
  if (bytes > MiB && Math.abs(body.length - bytes) > bytes / 10) throw new Error(`a batch of ${body.length} bytes instead of about ${bytes}`);
  return body;
}

describe('the memory batches can take is bounded', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let origin: string;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    const deps = testAppDeps(t.store);
    // Large bodies (over 1 MiB) may hold at most 2 MiB at once in this server.
    app = await buildApp({ ...deps, config: { ...deps.config, http: { maxInflightBodyMiB: 2 } } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    origin = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
    const ws = await createWorkspace(t.store, { name: 'Limits', defaultCountry: 'ES' });
    auth = { authorization: `Bearer ${ws.apiKey}` };
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  // Answers are read to the end: an unread one keeps its connection busy and the server from closing.
  const post = async (body: string) => {
    const res = await fetch(`${origin}/v1/batch`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: () => JSON.parse(text) as unknown };
  };

  it('refuses more items in all than a batch may hold, naming the limit, in the usual form', async () => {
    const ids = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);
    const body = JSON.stringify({
      clients: ids('c', 5_000).map((id) => ({ id, firstName: 'A' })),
      companies: ids('co', 5_000).map((id) => ({ id, name: 'Acme' })),
      deals: [{ id: 'd-1', clientId: 'c-1', title: 'Seats' }],
    });
    const res = await post(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer).toEqual({ error: { code: 'validation_failed', message: expect.stringContaining('10000 items'), details: [{ path: '(body)', message: expect.stringContaining('10000') }] } });
    expect(await t.store.db.selectFrom('clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()).toEqual({ n: 0 });
  });

  it('refuses a body over the batch limit in the usual form', async () => {
    const res = await post(JSON.stringify({ clients: [{ id: 'big', firstName: 'x'.repeat(33 * MiB) }] }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
  });

  it('answers 503 with Retry-After to a large batch while others hold the budget, and takes it once they are done', async () => {
    // A first large batch whose body is still arriving holds 1.5 MiB of the 2 MiB.
    const first = batchOf('first', 1.5 * MiB);
    const { hostname, port } = new URL(origin);
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    let firstAnswer = '';
    socket.on('data', (c) => (firstAnswer += c.toString()));
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(first)}\r\n\r\n`);
    socket.write(first.slice(0, 1_000));
    await new Promise((r) => setTimeout(r, 200));

    const second = batchOf('second', 1.2 * MiB);
    const refused = await post(second);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({ error: { code: 'server_busy', message: expect.any(String) } });
    // Small requests are not held back by large ones.
    expect((await post(batchOf('small', 1_000))).status).toBe(200);

    socket.write(first.slice(1_000));
    await new Promise((r) => socket.once('close', r));
    expect(firstAnswer).toMatch(/^HTTP\/1\.1 200 /);
    expect((await post(second)).status).toBe(200);
  });

  it('lets a single large batch through when nothing else is in flight, even above the budget', async () => {
    const res = await post(batchOf('alone', 2.1 * MiB));
    expect(res.status).toBe(200);
  });
});

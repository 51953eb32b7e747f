import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmSyncApiError, CrmSyncClient, type ConversationInput } from '../../src/client/index.js';
import { buildApp } from '../../src/http/app.js';
import { testAppDeps } from '../support/app.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

// `?`, `#`, `%`, `&` and non-ASCII must reach the server as one path segment.
const awkwardId = 'c-42?x=1#frag&%41ñ';

const conversation: ConversationInput = {
  clientIds: [awkwardId],
  channel: 'whatsapp',
  url: 'https://platform.example/cv/7',
  startedAt: '2026-11-20T10:00:00Z',
  endedAt: '2026-11-20T10:30:00Z',
  messages: [{ id: 'm1', direction: 'inbound', author: 'Ana', text: 'Hola', sentAt: '2026-11-20T10:00:00Z' }],
  summary: 'Wants a quote',
  commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z', ownerEmail: 'seller@platform.io' }],
  qualification: { status: 'qualified', provisional: true, score: 80 },
};

describe.each(TEST_DIALECTS)('crm-sync/client over HTTP on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  let client: CrmSyncClient;
  let baseUrl: string;

  beforeAll(async () => {
    t = await openTestStore(dialect);
    app = await buildApp(testAppDeps(t.store));
    const workspace = await createWorkspace(t.store, { name: 'Client test', defaultCountry: 'ES' });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new CrmSyncClient({ baseUrl: `${baseUrl}/`, apiKey: workspace.apiKey });
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it('reports health', async () => {
    expect(await client.health()).toEqual({ status: 'ok', database: dialect });
  });

  it('puts and reads a company', async () => {
    const put = await client.putCompany('acme', { name: 'Acme', domain: 'https://www.acme.io/' });
    expect(put.result).toBe('created');
    expect(put.company).toMatchObject({ id: 'acme', name: 'Acme', version: 1 });
    expect(await client.getCompany('acme')).toEqual(put.company);
  });

  it('puts a client under an id that needs URL encoding, and reads it back', async () => {
    const input = { firstName: 'Ana', emails: [' Ana@ACME.io'], phones: ['600 111 222'], companyId: 'acme' };
    const put = await client.putClient(awkwardId, input);
    expect(put.result).toBe('created');
    expect(put.client.id).toBe(awkwardId);
    expect(put.client.emails).toEqual([{ value: 'ana@acme.io', raw: ' Ana@ACME.io' }]);
    expect(put.client.phones[0]?.value).toBe('+34600111222');
    expect((await client.putClient(awkwardId, input)).result).toBe('unchanged');
    expect(await client.getClient(awkwardId)).toEqual(put.client);
  });

  it('puts a conversation, adds messages one at a time and several at once, and reads it back', async () => {
    const put = await client.putConversation('cv-7', conversation);
    expect(put.result).toBe('created');
    expect(put.conversation.participants).toEqual([{ kind: 'client', value: awkwardId }]);

    const one = await client.addMessages('cv-7', { id: 'm2', direction: 'outbound', text: 'Buenas', sentAt: '2026-11-20T10:01:00Z' });
    expect(one.result).toBe('updated');
    const many = await client.addMessages('cv-7', [
      { id: 'm3', direction: 'inbound', sentAt: '2026-11-20T10:02:00Z' },
      { id: 'm4', direction: 'outbound', text: 'Te la mando', sentAt: '2026-11-20T10:03:00Z' },
    ]);
    expect(many.conversation.version).toBe(3);

    const read = await client.getConversation('cv-7');
    expect(read.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(read.messages[2]?.text).toBe('');
    expect(read.qualification).toEqual({ status: 'qualified', provisional: true, score: 80 });
  });

  it('writes a batch of every kind', async () => {
    const res = await client.batch({
      companies: [{ id: 'globex', name: 'Globex' }],
      clients: [
        { id: 'b-1', firstName: 'Bea', companyId: 'globex' },
        { id: awkwardId, firstName: 'Ana', emails: [' Ana@ACME.io'], phones: ['600 111 222'], companyId: 'acme' },
      ],
      conversations: [{ id: 'cv-8', clientIds: ['b-1'], channel: 'email' }],
    });
    expect(res.companies).toEqual([{ id: 'globex', result: 'created', version: 1 }]);
    expect(res.clients.map((c) => c.result)).toEqual(['created', 'unchanged']);
    expect(res.conversations).toEqual([{ id: 'cv-8', result: 'created', version: 1 }]);
    expect((await client.getClient('b-1')).firstName).toBe('Bea');
  });

  it('throws CrmSyncApiError naming each bad field', async () => {
    const err = await client.putClient('c-bad', { emails: ['not an e-mail'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmSyncApiError);
    const api = err as CrmSyncApiError;
    expect(api).toMatchObject({ status: 400, code: 'validation_failed', retryable: false });
    expect(api.details.map((d) => d.path)).toEqual(['emails[0]']);
    expect(api.details[0]?.message).toMatch(/not a valid e-mail/);
  });

  it('throws not_found for an unknown id and for messages to an unknown conversation', async () => {
    await expect(client.getClient('nobody')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(client.getCompany('nobody')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(client.addMessages('nowhere', { id: 'm1', direction: 'inbound', sentAt: '2026-11-20T10:00:00Z' })).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('manages API keys: creates a scoped key, rotates it with a grace period, lists and revokes', async () => {
    const created = await client.createApiKey({ name: 'Feed', scopes: ['ingest'] });
    expect(created).toMatchObject({ name: 'Feed', scopes: ['ingest'], revokedAt: null });
    const feed = new CrmSyncClient({ baseUrl, apiKey: created.key });
    expect((await feed.putClient('k-1', { emails: ['k1@example.com'] })).result).toBe('created');
    await expect(feed.listApiKeys()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    const rotated = await client.rotateApiKey(created.id, { graceSeconds: 30 });
    expect(rotated.key).not.toBe(created.key);
    expect((await feed.getClient('k-1')).id).toBe('k-1');
    const listed = await client.listApiKeys();
    expect(listed.find((k) => k.id === created.id)?.revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(rotated.key);
    expect((await client.revokeApiKey(created.id)).revokedAt).not.toBeNull();
    await expect(feed.getClient('k-1')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    await expect(client.rotateApiKey(created.id)).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(client.createApiKey({ name: '', scopes: ['ingest'] })).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ path: 'name' })] });
  });

  it('reads a connection’s progress, and says not_found for a connection of no one', async () => {
    await expect(client.connectionProgress('no-such-connection')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('throws unauthorized for a wrong key', async () => {
    const stranger = new CrmSyncClient({ baseUrl, apiKey: 'csk_nope' });
    await expect(stranger.getClient(awkwardId)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('reports a timeout and an unreachable server as retryable client-side errors', async () => {
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = new CrmSyncClient({ baseUrl, apiKey: 'csk_x', fetch: hanging, timeoutMs: 20 });
    await expect(slow.health()).rejects.toMatchObject({ status: 0, code: 'timeout', retryable: true });

    const closed = new CrmSyncClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'csk_x' });
    await expect(closed.health()).rejects.toMatchObject({ status: 0, code: 'network_error', retryable: true });
  });

  it("passes the caller's own abort through untouched", async () => {
    const controller = new AbortController();
    controller.abort(new Error('changed my mind'));
    await expect(client.health({ signal: controller.signal })).rejects.toThrow('changed my mind');
  });
});

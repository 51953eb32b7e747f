import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPendingChanges } from '../../src/store/outbox.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

const conversation = {
  clientIds: ['c-42'],
  participants: [{ email: 'Buyer@Acme.io' }, { phone: '600 111 333' }],
  channel: 'whatsapp',
  isGroup: false,
  title: 'Quote',
  url: 'https://chat.example/cv-7',
  startedAt: '2026-11-20T10:00:00Z',
  endedAt: '2026-11-20T10:30:00+00:00',
  messages: [
    { id: 'm1', direction: 'inbound', author: 'Ana', text: 'Hola', sentAt: '2026-11-20T10:00:00Z' },
    {
      id: 'm2',
      direction: 'outbound',
      author: 'Seller',
      text: 'Here is the quote',
      sentAt: '2026-11-20T10:05:00Z',
      attachments: [{ name: 'quote.pdf', url: 'https://files.example/quote.pdf', contentType: 'application/pdf' }],
    },
  ],
  summary: 'Ana wants a quote for 50 seats.',
  keyNotes: ['Budget is 50k', 'Decision in December'],
  commitments: [{ text: 'Send the quote', dueAt: '2026-11-22T00:00:00Z', ownerEmail: 'Seller@Platform.io' }],
  specificFields: { budget: '50000' },
  qualification: { status: 'qualified', provisional: true, score: 80 },
};

describe.each(TEST_DIALECTS)('conversations on %s', (dialect) => {
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

  const pending = () => countPendingChanges(t.store.db, a.workspace.workspaceId);
  const put = (id: string, body: unknown) => a.app.inject({ method: 'PUT', url: `/v1/conversations/${id}`, headers: a.auth, payload: body as object });
  const post = (id: string, body: unknown) =>
    a.app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers: a.auth, payload: body as object });

  it('stores a conversation with its messages, analysis and normalised participants', async () => {
    const res = await put('cv-7', conversation);
    expect(res.statusCode).toBe(201);
    const got = (await a.app.inject({ method: 'GET', url: '/v1/conversations/cv-7', headers: a.auth })).json();
    expect(got.participants).toEqual([
      { kind: 'client', value: 'c-42' },
      { kind: 'email', value: 'buyer@acme.io' },
      { kind: 'phone', value: '+34600111333' },
    ]);
    expect(got.messages.map((m: { id: string }) => m.id)).toEqual(['m1', 'm2']);
    expect(got.messages[1].attachments[0].name).toBe('quote.pdf');
    expect(got.endedAt).toBe('2026-11-20T10:30:00.000Z');
    expect(got.commitments[0]).toEqual({ text: 'Send the quote', dueAt: '2026-11-22T00:00:00.000Z', ownerEmail: 'seller@platform.io' });
    expect(got.qualification).toEqual({ status: 'qualified', provisional: true, score: 80 });
    expect(await pending()).toBe(1);
  });

  it('changes nothing when the same conversation is sent again', async () => {
    const res = await put('cv-7', conversation);
    expect(res.json().result).toBe('unchanged');
    expect(await pending()).toBe(1);
  });

  it('adds a message (single or list form) as one pending change, and a replay changes nothing', async () => {
    const m3 = { id: 'm3', direction: 'inbound', text: 'Thanks!', sentAt: '2026-11-20T10:10:00Z' };
    const first = await post('cv-7', m3);
    expect(first.statusCode).toBe(200);
    expect(first.json().result).toBe('updated');
    expect(first.json().conversation.messages).toHaveLength(3);
    expect(await pending()).toBe(2);
    const again = await post('cv-7', { messages: [m3] });
    expect(again.json().result).toBe('unchanged');
    expect(await pending()).toBe(2);
  });

  it('keeps messages a later PUT leaves out', async () => {
    const { messages: _omitted, ...withoutMessages } = conversation;
    const res = await put('cv-7', { ...withoutMessages, summary: 'Updated summary' });
    expect(res.json().result).toBe('updated');
    expect(res.json().conversation.messages).toHaveLength(3);
  });

  it('answers 404 for messages to an unknown conversation, writing nothing', async () => {
    const res = await post('cv-unknown', { id: 'm1', direction: 'inbound', text: 'x', sentAt: '2026-11-20T10:00:00Z' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('names bad nested fields', async () => {
    const res = await put('cv-8', {
      channel: 'fax',
      endedAt: '2026-11-20T09:00:00Z',
      startedAt: '2026-11-20T10:00:00Z',
      messages: [{ id: 'm1', direction: 'sideways', sentAt: 'yesterday' }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['channel', 'messages[0].direction', 'messages[0].sentAt']));
  });

  it('rejects an end before the start', async () => {
    const res = await put('cv-9', { startedAt: '2026-11-20T10:00:00Z', endedAt: '2026-11-20T09:00:00Z' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'endedAt', message: 'must not be before startedAt' }]);
  });
});

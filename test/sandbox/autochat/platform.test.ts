import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { ac, KEY_ID, OTHER_KEY } from './support.js';

/** Verifies a delivery the way docs/autochat-api.md tells integrators to. */
function verify(secret: string, header: string, rawBody: string, toleranceS = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceS || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('AutoChat sandbox: auth, limits, idempotency and webhooks', () => {
  let sb: RunningSandbox;
  let receiver: Server;
  let url: string;
  const received: { headers: IncomingHttpHeaders; raw: string }[] = [];
  beforeAll(async () => {
    sb = await startSandbox();
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/autochat`;
  });
  afterAll(async () => {
    await sb.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    sb.sandbox.reset('autochat');
    received.length = 0;
  });

  it('refuses a missing or unknown API key with 401', async () => {
    const none = await ac(sb, 'GET', '/api/v1/clients', undefined, {}, null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthorized', message: 'Missing API key: send Authorization: Bearer <key>' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await ac(sb, 'GET', '/api/v1/clients', undefined, {}, 'ac_live_nope');
    expect(wrong.body).toEqual({ error: { code: 'unauthorized', message: 'The API key is not valid' } });
  });

  it('counts 120 requests per minute per key in RateLimit-* headers and answers 429 with Retry-After', async () => {
    sb.sandbox.configure({ rateLimitFactor: 0.025 }, 'autochat'); // 120 becomes 3
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ac(sb, 'GET', '/api/v1/users');
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await ac(sb, 'GET', '/api/v1/users');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await ac(sb, 'GET', '/api/v1/users', undefined, {}, OTHER_KEY)).status).toBe(200); // per key
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses it for another body', async () => {
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
    const body = { type: 'note', title: 'Summary', body: 'Wants the pro plan' };
    const first = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', body, { 'idempotency-key': 'msg-42' });
    const again = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', body, { 'idempotency-key': 'msg-42' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect((await ac(sb, 'GET', '/api/v1/clients/cli_000001/activities')).body.data).toHaveLength(1);
    const reused = await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { ...body, title: 'Other' }, { 'idempotency-key': 'msg-42' });
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ error: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was already used with a different request' } });
  });

  it('signs deliveries with AutoChat-Signature and names the writing key in origin', async () => {
    const sub = await ac(sb, 'POST', '/api/v1/webhooks', { url, events: ['client.created', 'client.updated', 'activity.created'] });
    expect(sub.status).toBe(201);
    const secret = sub.body.secret as string;
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect((await ac(sb, 'GET', '/api/v1/webhooks')).body.data[0]).not.toHaveProperty('secret');

    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
    await ac(sb, 'PATCH', '/api/v1/clients/cli_000001', { company: 'Acme' }, {}, OTHER_KEY);
    await sb.sandbox.crm('autochat').webhooks!.settle();
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(verify(secret, r.headers['autochat-signature'] as string, r.raw)).toBe(true);
      expect(verify('whsec_wrong', r.headers['autochat-signature'] as string, r.raw)).toBe(false);
      expect(r.headers['autochat-event-id']).toBe(JSON.parse(r.raw).id);
    }
    const events = received.map((r) => JSON.parse(r.raw)).sort((a, b) => a.id.localeCompare(b.id));
    expect(events[0]).toMatchObject({ type: 'client.created', origin: { api_key_id: KEY_ID }, data: { object: { id: 'cli_000001', name: 'Ann' } } });
    expect(events[1]).toMatchObject({ type: 'client.updated', origin: { api_key_id: 'key_02HWEB' }, data: { object: { company: 'Acme' }, previous_attributes: { company: null } } });
  });

  it('sends activity.updated with the previous values of what an edit changed, and nothing for an edit that changes nothing', async () => {
    await ac(sb, 'POST', '/api/v1/webhooks', { url, events: ['activity.updated'] });
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Ann' });
    await ac(sb, 'POST', '/api/v1/clients/cli_000001/activities', { type: 'note', title: 'Summary', body: 'Short' });
    await ac(sb, 'PATCH', '/api/v1/activities/act_000001', { body: 'Longer now' }, {}, OTHER_KEY);
    await ac(sb, 'PATCH', '/api/v1/activities/act_000001', { body: 'Longer now' });
    await sb.sandbox.crm('autochat').webhooks!.settle();
    expect(received.map((r) => JSON.parse(r.raw))).toMatchObject([
      { type: 'activity.updated', origin: { api_key_id: 'key_02HWEB' }, data: { object: { id: 'act_000001', body: 'Longer now' }, previous_attributes: { body: 'Short' } } },
    ]);
  });

  it('validates subscriptions and stops delivering after delete', async () => {
    const bad = await ac(sb, 'POST', '/api/v1/webhooks', { url: 'ftp://x', events: ['client.exploded'] });
    expect(bad.body.error.details).toEqual([
      { field: 'url', message: 'must be an http or https URL' },
      { field: 'events[0]', message: 'must be one of: client.created, client.updated, client.deleted, activity.created, activity.updated' },
    ]);
    const sub = await ac(sb, 'POST', '/api/v1/webhooks', { url, events: ['client.created'] });
    expect((await ac(sb, 'DELETE', `/api/v1/webhooks/${sub.body.id}`)).status).toBe(204);
    await ac(sb, 'POST', '/api/v1/clients', { name: 'Quiet' });
    await sb.sandbox.crm('autochat').webhooks!.settle();
    expect(received).toHaveLength(0);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { pd } from './support.js';

interface Received {
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('Pipedrive sandbox: webhooks', () => {
  let sb: RunningSandbox;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  beforeAll(async () => {
    sb = await startSandbox();
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const addr = receiver.address() as { port: number };
    url = `http://127.0.0.1:${addr.port}/hook`;
  });
  afterAll(async () => {
    await sb.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    sb.sandbox.reset('pipedrive');
    received.length = 0;
  });
  const settle = () => sb.sandbox.crm('pipedrive').webhooks!.settle();

  it('delivers v2 payloads (the default version) with HTTP basic auth', async () => {
    const sub = await pd(sb, 'POST', '/api/v1/webhooks', { subscription_url: url, event_action: '*', event_object: 'person', http_auth_user: 'hook', http_auth_password: 's3cret' });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ status: 'ok', success: true, data: { id: 1, version: '2.0', event_action: '*', event_object: 'person', subscription_url: url } });
    await pd(sb, 'POST', '/api/v2/persons', { name: 'Ann Lee' });
    await pd(sb, 'PATCH', '/api/v2/persons/1', { name: 'Ann Smith' });
    await pd(sb, 'POST', '/api/v2/organizations', { name: 'Not subscribed' });
    await settle();
    expect(received).toHaveLength(2);
    // Deliveries run concurrently, so find each by its action rather than by arrival order.
    const created = received.find((r) => r.body.meta.action === 'create');
    const changed = received.find((r) => r.body.meta.action === 'change');
    expect(created!.headers.authorization).toBe(`Basic ${Buffer.from('hook:s3cret').toString('base64')}`);
    expect(created!.body.meta).toMatchObject({ action: 'create', entity: 'person', entity_id: '1', version: '2.0', webhook_id: '1', user_id: '1', type: 'general' });
    expect(created!.body.data).toMatchObject({ id: 1, name: 'Ann Lee', emails: [] });
    expect(created!.body.previous).toBeNull();
    expect(changed!.body.meta.action).toBe('change');
    expect(changed!.body.data.name).toBe('Ann Smith');
    expect(changed!.body.previous).toEqual({ name: 'Ann Lee', last_name: 'Lee' });
  });

  it('delivers v1 payloads (current/previous) when the subscription asks for version 1.0', async () => {
    await pd(sb, 'POST', '/api/v1/webhooks', { subscription_url: url, event_action: 'added', event_object: 'deal', version: '1.0' });
    await pd(sb, 'POST', '/api/v1/deals', { title: 'Big one', value: 10 });
    await pd(sb, 'PUT', '/api/v1/deals/1', { value: 20 });
    await settle();
    expect(received).toHaveLength(1);
    const body = received[0]!.body;
    expect(received[0]!.headers.authorization).toBeUndefined();
    expect(body).toMatchObject({ v: 1, event: 'added.deal', previous: null, meta: { action: 'added', object: 'deal', id: 1, user_id: 1 } });
    expect(body.current).toMatchObject({ id: 1, title: 'Big one', value: 10 });
  });

  it('validates, lists and deletes subscriptions', async () => {
    const bad = await pd(sb, 'POST', '/api/v1/webhooks', { subscription_url: 'not a url', event_action: 'added', event_object: 'lead' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      status: 'error',
      success: false,
      errors: { subscription_url: ['invalid or non-reachable URL'], event_object: ['must be one of activity, activityType, deal, note, organization, person, pipeline, product, stage, user, *'] },
    });
    await pd(sb, 'POST', '/api/v1/webhooks', { subscription_url: url, event_action: '*', event_object: '*' });
    expect((await pd(sb, 'GET', '/api/v1/webhooks')).body.data.map((w: { id: number }) => w.id)).toEqual([1]);
    expect((await pd(sb, 'DELETE', '/api/v1/webhooks/1')).body).toEqual({ status: 'ok', success: true });
    await pd(sb, 'POST', '/api/v2/persons', { name: 'Nobody listens' });
    await settle();
    expect(received).toHaveLength(0);
  });
});

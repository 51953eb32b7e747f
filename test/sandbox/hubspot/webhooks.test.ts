import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEVELOPER_API_KEY, OAUTH_APP, PRIVATE_APP } from '../../../src/sandbox/hubspot/account.js';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { hubspotApi, type HubSpotCall } from './api.js';

interface Received {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('HubSpot sandbox: webhooks', () => {
  let sb: RunningSandbox;
  let call: HubSpotCall;
  let receiver: Server;
  let targetUrl: string;
  const received: Received[] = [];
  const hooks = (path: string) => `/webhooks/v3/${OAUTH_APP.appId}${path}?hapikey=${DEVELOPER_API_KEY}`;

  beforeAll(async () => {
    sb = await startSandbox();
    call = hubspotApi(sb);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hubspot/events`;
  });
  afterAll(async () => {
    await sb.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    sb.sandbox.reset('hubspot');
    received.length = 0;
  });

  async function subscribe(eventType: string, propertyName?: string, active = true) {
    const res = await call('POST', hooks('/subscriptions'), { eventType, propertyName, active });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('needs the developer API key', async () => {
    const res = await call('GET', `/webhooks/v3/${OAUTH_APP.appId}/subscriptions`);
    expect(res.status).toBe(401);
    expect(res.body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('delivers a signed batch of events for a contact created through the API', async () => {
    const settings = await call('PUT', hooks('/settings'), { targetUrl, throttling: { maxConcurrentRequests: 10 } });
    expect(settings.body).toMatchObject({ targetUrl, throttling: { maxConcurrentRequests: 10 } });
    const creation = await subscribe('contact.creation');
    const change = await subscribe('contact.propertyChange', 'firstname');
    await subscribe('contact.propertyChange', 'lastname', false); // paused: sends nothing
    expect((await call('GET', hooks('/subscriptions'))).body.results).toHaveLength(3);

    const { body: contact } = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'hook@example.com', firstname: 'Hook', lastname: 'Line' } });
    await sb.sandbox.crm('hubspot').webhooks?.settle();

    expect(received).toHaveLength(1);
    const [delivery] = received;
    if (!delivery) throw new Error('no delivery');
    const timestamp = String(delivery.headers['x-hubspot-request-timestamp']);
    const expected = createHmac('sha256', OAUTH_APP.clientSecret).update(`POST${targetUrl}${delivery.body}${timestamp}`).digest('base64');
    expect(delivery.headers['x-hubspot-signature-v3']).toBe(expected);
    expect(Math.abs(Date.now() - Number(timestamp))).toBeLessThan(5 * 60_000);

    const events = JSON.parse(delivery.body);
    const common = { portalId: 24681357, appId: OAUTH_APP.appId, attemptNumber: 0, objectId: Number(contact.id), changeSource: 'INTEGRATION', sourceId: String(PRIVATE_APP.appId) };
    expect(events).toEqual([
      { ...common, eventId: expect.any(Number), subscriptionId: Number(creation.id), occurredAt: expect.any(Number), subscriptionType: 'contact.creation', changeFlag: 'CREATED' },
      { ...common, eventId: expect.any(Number), subscriptionId: Number(change.id), occurredAt: expect.any(Number), subscriptionType: 'contact.propertyChange', propertyName: 'firstname', propertyValue: 'Hook' },
    ]);
  });

  it('sends propertyChange on update and nothing when the value is unchanged; deletion after DELETE', async () => {
    const { body: contact } = await call('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'A' } });
    await call('PUT', hooks('/settings'), { targetUrl });
    await subscribe('contact.propertyChange', 'firstname');
    await subscribe('contact.deletion');
    await call('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { firstname: 'A' } });
    await call('PATCH', `/crm/v3/objects/contacts/${contact.id}`, { properties: { firstname: 'B' } });
    await call('DELETE', `/crm/v3/objects/contacts/${contact.id}`);
    await sb.sandbox.crm('hubspot').webhooks?.settle();
    const events = received.flatMap((r) => JSON.parse(r.body) as { subscriptionType: string; propertyValue?: string }[]);
    expect(events.map((e) => [e.subscriptionType, e.propertyValue])).toEqual([
      ['contact.propertyChange', 'B'],
      ['contact.deletion', undefined],
    ]);
  });

  it('validates subscriptions', async () => {
    expect((await call('POST', hooks('/subscriptions'), { eventType: 'contact.propertyChange' })).status).toBe(400);
    expect((await call('POST', hooks('/subscriptions'), { eventType: 'planet.creation' })).status).toBe(400);
  });
});

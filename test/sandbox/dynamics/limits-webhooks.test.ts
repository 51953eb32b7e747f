import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SDK_MESSAGES, sdkMessageFilterId } from '../../../src/sandbox/dynamics/seed.js';
import { entityId, startDataverse, type DataverseHarness } from './helpers.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

describe('Dataverse sandbox: service protection limits and webhooks', () => {
  let h: DataverseHarness;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  beforeAll(async () => {
    h = await startDataverse();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/dataverse`;
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(async () => {
    received.length = 0;
    await h.reset();
  });

  it('reports the remaining burst and answers 429 with Retry-After and 0x80072322 when the window is full', async () => {
    await h.configure({ rateLimitFactor: 0.001 }); // 6 requests per 5 minutes
    const remaining: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.call('WhoAmI()');
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')!);
      expect(res.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toMatch(/^[\d,]+\.\d{2}$/);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    const limited = await h.call('WhoAmI()');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(299);
    expect(await limited.json()).toEqual({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6 over time window of 300 seconds.' } });
  });

  it('sends a RemoteExecutionContext to a webhook service endpoint with the HttpHeader auth value', async () => {
    const endpoint = await h.call('serviceendpoints', {
      method: 'POST',
      body: { name: 'crm-sync', contract: 8, url: receiverUrl, authtype: 5, authvalue: '<settings><setting name="x-crm-sync-key" value="s3cret" /></settings>', messageformat: 2 },
    });
    expect(endpoint.status).toBe(204);
    const endpointId = entityId(endpoint);
    const read = await h.json<Record<string, unknown>>(await h.call(`serviceendpoints(${endpointId})`));
    expect(read.authvalue).toBeUndefined();

    const filters = await h.json<{ value: { sdkmessagefilterid: string }[] }>(
      await h.call(`sdkmessagefilters?$select=sdkmessagefilterid&$filter=${encodeURIComponent(`primaryobjecttypecode eq 'contact' and _sdkmessageid_value eq ${SDK_MESSAGES.Create}`)}`),
    );
    expect(filters.value.map((f) => f.sdkmessagefilterid)).toEqual([sdkMessageFilterId('Create', 'contact')]);
    for (const message of ['Create', 'Update'] as const) {
      const step = await h.call('sdkmessageprocessingsteps', {
        method: 'POST',
        body: {
          name: `crm-sync: ${message} of contact`,
          stage: 40,
          mode: 1,
          rank: 1,
          'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
          'sdkmessageid@odata.bind': `/sdkmessages(${SDK_MESSAGES[message]})`,
          'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${sdkMessageFilterId(message, 'contact')})`,
          ...(message === 'Update' ? { filteringattributes: 'emailaddress1,lastname' } : {}),
        },
      });
      expect(step.status).toBe(204);
    }

    const id = entityId(await h.call('contacts', { method: 'POST', body: { firstname: 'Hook', lastname: 'Receiver', cs_qualification: 100000002 } }));
    await h.call(`contacts(${id})`, { method: 'PATCH', body: { jobtitle: 'not watched' } });
    await h.call(`contacts(${id})`, { method: 'PATCH', body: { emailaddress1: 'hook@example.com' } });
    await h.call('accounts', { method: 'POST', body: { name: 'No step for accounts' } });
    await h.sb.sandbox.crm('dynamics').webhooks!.settle();

    expect(received.map((r) => r.body.MessageName)).toEqual(['Create', 'Update']);
    const [create, update] = received as [Received, Received];
    expect(create.url).toBe('/dataverse');
    expect(create.headers['x-crm-sync-key']).toBe('s3cret');
    expect(create.headers['x-ms-dynamics-entity-name']).toBe('contact');
    expect(create.headers['x-ms-dynamics-request-name']).toBe('Create');
    expect(create.headers['x-ms-correlation-request-id']).toBe(create.body.CorrelationId);
    expect(create.body).toMatchObject({ PrimaryEntityName: 'contact', PrimaryEntityId: id, UserId: 'c9a7f3b5-2e6d-4c1a-b8f4-0d5e2a7c9b13', Stage: 40, Mode: 1 });
    const target = (create.body.InputParameters as { key: string; value: { LogicalName: string; Id: string; Attributes: { key: string; value: unknown }[] } }[])[0]!;
    expect(target.key).toBe('Target');
    expect(target.value).toMatchObject({ __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts', LogicalName: 'contact', Id: id });
    expect(target.value.Attributes).toContainEqual({ key: 'firstname', value: 'Hook' });
    expect(target.value.Attributes).toContainEqual({ key: 'cs_qualification', value: { __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 100000002 } });
    const updated = (update.body.InputParameters as { value: { Attributes: { key: string; value: unknown }[] } }[])[0]!.value.Attributes;
    expect(updated).toContainEqual({ key: 'emailaddress1', value: 'hook@example.com' });
  });

  it('puts a WebhookKey auth value in the code query parameter', async () => {
    const endpointId = entityId(await h.call('serviceendpoints', { method: 'POST', body: { name: 'key', contract: 8, url: receiverUrl, authtype: 4, authvalue: 'k3y' } }));
    await h.call('sdkmessageprocessingsteps', {
      method: 'POST',
      body: { name: 'all deletes', stage: 40, mode: 1, rank: 1, 'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`, 'sdkmessageid@odata.bind': `/sdkmessages(${SDK_MESSAGES.Delete})` },
    });
    const id = entityId(await h.call('leads', { method: 'POST', body: { lastname: 'Gone' } }));
    await h.call(`leads(${id})`, { method: 'DELETE' });
    await h.sb.sandbox.crm('dynamics').webhooks!.settle();
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/dataverse?code=k3y');
    expect(received[0]!.body).toMatchObject({ MessageName: 'Delete', PrimaryEntityName: 'lead', PrimaryEntityId: id });
  });
});

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookHub } from './webhooks.js';

/**
 * The sandbox's credentials are published, so anyone could subscribe a webhook: deliveries go
 * to loopback only, judged on the parsed and resolved address, so the sandbox cannot be used
 * to send requests into the network around it.
 */
describe('sandbox webhook deliveries', () => {
  let receiver: Server;
  let port: number;
  const received: string[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  const deliver = async (url: string, resolve?: (host: string) => Promise<string[]>) => {
    const hub = new WebhookHub((_sub, body) => ({ headers: {}, body }), resolve ? { resolve } : {});
    hub.subscribe({ url, events: [] });
    const before = received.length;
    hub.emit('contact.creation', { id: 1 });
    await hub.settle();
    return { delivery: hub.deliveries[0]!, reached: received.length - before };
  };

  it.each([`http://127.0.0.1:PORT/hook`, `http://[::ffff:127.0.0.1]:PORT/hook`])('delivers to loopback: %s', async (url) => {
    const { delivery, reached } = await deliver(url.replace('PORT', String(port)));
    expect(delivery).toMatchObject({ status: 200, attempts: 1 });
    expect(reached).toBe(1);
  });

  it('refuses 0.0.0.0, which reaches this host without being loopback', async () => {
    const { delivery, reached } = await deliver(`http://0.0.0.0:${port}/hook`);
    expect(delivery).toMatchObject({ status: 'refused', attempts: 0 });
    expect(reached).toBe(0);
  });

  it('refuses a name that resolves to anything but loopback, and one that does not resolve', async () => {
    const table: Record<string, string[]> = { localhost: ['10.0.0.1'] };
    const resolve = async (host: string) => table[host] ?? [];
    expect(await deliver(`http://localhost:${port}/hook`, resolve)).toMatchObject({ delivery: { status: 'refused' }, reached: 0 });
    expect(await deliver(`http://receiver.invalid:${port}/hook`, resolve)).toMatchObject({ delivery: { status: 'refused' }, reached: 0 });
  });
});

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../errors.js';
import { createCrmHttp, type CrmHttp } from './client.js';
import { guardHttp } from './client.js';
import type { Destinations } from './destinations.js';

/**
 * A local receiver stands in for "another service on this machine": every request that
 * reaches it is recorded. Names are resolved from a table, so nothing leaves loopback.
 */
describe('where CRM requests may go, checked on every request', () => {
  let server: Server;
  let port: number;
  const hits: { host: string | undefined; url: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push({ host: req.headers.host, url: req.url });
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 1_000);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":"internal"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const table =
    (answers: Record<string, string[] | (() => string[])>) =>
    async (host: string): Promise<string[]> => {
      const a = answers[host];
      return typeof a === 'function' ? a() : (a ?? []);
    };
  const refusal = async (http: CrmHttp, url: string) => {
    const before = hits.length;
    const err = await http({ url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hits.length, 'the request reached the local service').toBe(before);
    expect(err).toBeInstanceOf(CrmError);
    return err as CrmError;
  };
  const transports: [string, (d: Destinations) => CrmHttp][] = [
    ['the pinned transport', (d) => createCrmHttp({ destinations: d })],
    ['a check before any other transport', (d) => guardHttp(createCrmHttp(), d)],
  ];

  describe.each(transports)('%s', (_name, make) => {
    it('refuses a loopback address given as an IP, e.g. another local service', async () => {
      const http = make({ isSandbox: () => false, resolve: table({}) });
      const err = await refusal(http, `http://127.0.0.1:${port}/secret`);
      expect(err.message).toMatch(/127\.0\.0\.1 is a private or local address/);
      expect(err.retryable).toBe(false);
    });

    it('refuses a name that resolves to a private address, and one that does not resolve', async () => {
      const http = make({ isSandbox: () => false, resolve: table({ localhost: ['127.0.0.1'] }) });
      expect((await refusal(http, `http://localhost:${port}/secret`)).message).toMatch(/localhost is a private or local address \(127\.0\.0\.1\)/);
      expect((await refusal(http, `http://nowhere.invalid:${port}/`)).message).toMatch(/nowhere\.invalid does not resolve/);
    });

    it('resolves again for every request, so a name that turns private later is refused (DNS rebinding)', async () => {
      const answers = [['127.0.0.1'], ['127.0.0.2']];
      let calls = 0;
      // Here 127.0.0.1 stands for a public address, so the receiver can play the CRM.
      const http = make({ isSandbox: () => false, permits: (a) => a === '127.0.0.1', resolve: table({ localhost: () => answers[calls++]! }) });
      expect((await http({ url: `http://localhost:${port}/first` })).status).toBe(200);
      expect((await refusal(http, `http://localhost:${port}/second`)).message).toMatch(/localhost is a private or local address \(127\.0\.0\.2\)/);
      expect(calls).toBe(2);
    });

    it('lets requests into a sandbox through', async () => {
      const http = make({ isSandbox: (u) => u.pathname.startsWith('/sandbox/'), resolve: table({}) });
      const res = await http({ url: `http://127.0.0.1:${port}/sandbox/hubspot/x` });
      expect(res.status).toBe(200);
    });
  });

  it('connects the pinned transport to the checked address, keeping the name for the Host header', async () => {
    const http = createCrmHttp({ destinations: { isSandbox: () => false, permits: () => true, resolve: table({ 'crm.localtest': ['127.0.0.1'] }) } });
    const res = await http({ method: 'POST', url: `http://crm.localtest:${port}/pinned`, query: { a: '1' }, body: { x: 1 } });
    expect(res).toMatchObject({ status: 200, body: { secret: 'internal' } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(hits.at(-1)).toEqual({ host: `crm.localtest:${port}`, url: '/pinned?a=1' });
  });

  it('times the pinned transport out as it does fetch', async () => {
    const http = createCrmHttp({ timeoutMs: 50, destinations: { isSandbox: () => false, permits: () => true, resolve: table({ 'crm.localtest': ['127.0.0.1'] }) } });
    const err = await http({ url: `http://crm.localtest:${port}/slow` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).message).toMatch(/crm\.localtest:\d+ did not answer within 0 s/);
  });
});

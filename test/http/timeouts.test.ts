import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { until } from '../support/until.js';

/** A raw connection that records what the server sent and when it closed the connection. */
interface Probe {
  socket: Socket;
  received: () => string;
  /** Milliseconds from connecting until the server closed the connection (undefined while open). */
  closedAfter: () => number | undefined;
  closed: Promise<number>;
}

function probe(url: string): Promise<Probe> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = '';
    let closedAt: number | undefined;
    const socket = connect({ host: hostname, port: Number(port) });
    const closed = new Promise<number>((r) => socket.once('close', () => r((closedAt = Date.now() - started))));
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closedAfter: () => closedAt, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` one byte every `everyMs` while the socket stays open. */
function trickle(socket: Socket, text: string, everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

const within = (p: Promise<number>, ms: number) => Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);

describe('a listening server cuts slow clients off and caps connections', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-timeouts-'));
  let server: RunningServer;
  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      CRM_SYNC_DATA_DIR: dataDir,
      CRM_SYNC_SANDBOX: '0',
      CRM_SYNC_DEMO: '0',
      LOG_LEVEL: 'silent',
      CRM_SYNC_HEADERS_TIMEOUT_MS: '600',
      CRM_SYNC_REQUEST_TIMEOUT_MS: '1000',
      CRM_SYNC_MAX_CONNECTIONS: '4',
    });
    server = await startServer(config);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 408 in the usual error form and closes when the body trickles in slower than the request timeout', async () => {
    const p = await probe(server.url);
    p.socket.write('POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n');
    const stop = trickle(p.socket, JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(400) }), 50);
    const closedAfter = await within(p.closed, 4_000);
    stop();
    p.socket.destroy();
    expect(closedAfter, 'still open 4 s after a 1 s request timeout').toBeDefined();
    expect(closedAfter).toBeLessThan(2_500);
    expect(p.received()).toMatch(/^HTTP\/1\.1 408 /);
    const body = p.received().split('\r\n\r\n')[1]!;
    expect(JSON.parse(body)).toEqual({ error: { code: 'request_timeout', message: expect.any(String) } });
  });

  it('closes a connection whose headers trickle in slower than the headers timeout', async () => {
    const p = await probe(server.url);
    const stop = trickle(p.socket, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'y'.repeat(200) + '\r\n\r\n', 50);
    const closedAfter = await within(p.closed, 4_000);
    stop();
    p.socket.destroy();
    expect(closedAfter, 'still open 4 s after a 0.6 s headers timeout').toBeDefined();
    expect(closedAfter).toBeLessThan(2_000);
  });

  it('closes a connection that sends nothing within the headers timeout', async () => {
    const p = await probe(server.url);
    const closedAfter = await within(p.closed, 4_000);
    p.socket.destroy();
    expect(closedAfter, 'a silent connection still open 4 s after a 0.6 s headers timeout').toBeDefined();
    expect(closedAfter).toBeLessThan(2_000);
  });

  it('refuses connections beyond the cap and serves again once one closes', async () => {
    // Four keep-alive connections, each idle after one answered request (well within the keep-alive timeout).
    const held = await Promise.all([1, 2, 3, 4].map(() => probe(server.url)));
    for (const h of held) h.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await until('four answers', async () => (held.every((h) => h.received().includes('"ok"')) ? true : undefined));
    const extra = await probe(server.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAfter = await within(extra.closed, 400);
    expect(closedAfter, 'the fifth connection was still open').toBeDefined();
    expect(extra.received()).toBe('');
    held.forEach((h) => h.socket.destroy());
    await Promise.all(held.map((h) => h.closed));
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

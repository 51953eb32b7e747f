import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** What every failure of the API looks like (docs/errors.md), whichever layer refused it. */
function expectErrorForm(label: string, status: number, contentType: string | null, text: string, expected?: { status: number; code: string }) {
  expect(contentType, `${label}: content type`).toMatch(/^application\/json/);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${label}: not JSON: ${text}`);
  }
  expect(body, label).toEqual({
    error: {
      code: expect.any(String),
      message: expect.any(String),
      ...((body as { error?: { details?: unknown } }).error?.details ? { details: expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]) } : {}),
    },
  });
  const code = (body as { error: { code: keyof typeof ERRORS } }).error.code;
  expect(Object.keys(ERRORS), label).toContain(code);
  expect(status, `${label}: status matches its code`).toBe(ERRORS[code].status);
  if (expected) expect([label, status, code]).toEqual([label, expected.status, expected.code]);
}

/** Sends bytes as they are (no client fixing them up) and returns the status line, content type and body. */
function raw(origin: string, request: string): Promise<{ status: number; contentType: string | null; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    socket.on('data', (c) => (data += c.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /^content-type: *(.*)$/im.exec(head)?.[1]?.trim() ?? null, body });
    });
  });
}

describe('one error form for every malformed request', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('sqlite');
  });
  afterAll(async () => s.close());

  const json = { 'content-type': 'application/json' };

  it('answers the usual form for bad URLs, bodies, media types and sizes', async () => {
    const cases: { label: string; method: string; path: string; headers?: Record<string, string>; body?: string; expect: { status: number; code: string } }[] = [
      { label: 'bad percent-encoding in a parameter', method: 'PUT', path: '/v1/clients/%zz', headers: json, body: '{"firstName":"A"}', expect: { status: 400, code: 'validation_failed' } },
      { label: 'bad percent-encoding on a GET', method: 'GET', path: '/v1/clients/%E0%A4%A', expect: { status: 400, code: 'validation_failed' } },
      { label: 'a parameter over the length limit', method: 'GET', path: `/v1/clients/${'x'.repeat(600)}`, expect: { status: 400, code: 'validation_failed' } },
      { label: 'invalid JSON', method: 'PUT', path: '/v1/clients/a', headers: json, body: '{"firstName":', expect: { status: 400, code: 'invalid_json' } },
      { label: 'an empty body where one is required', method: 'PUT', path: '/v1/clients/a', headers: json, body: '', expect: { status: 400, code: 'invalid_json' } },
      { label: 'a JSON body that is not an object', method: 'PUT', path: '/v1/clients/a', headers: json, body: '"x"', expect: { status: 400, code: 'validation_failed' } },
      { label: 'prototype poisoning', method: 'PUT', path: '/v1/clients/a', headers: json, body: '{"__proto__":{"x":1}}', expect: { status: 400, code: 'invalid_json' } },
      { label: 'text/plain', method: 'PUT', path: '/v1/clients/a', headers: { 'content-type': 'text/plain' }, body: 'hello', expect: { status: 415, code: 'unsupported_media_type' } },
      { label: 'no content type', method: 'PUT', path: '/v1/clients/a', headers: { 'content-type': '' }, body: '{}', expect: { status: 415, code: 'unsupported_media_type' } },
      { label: 'a body over the limit', method: 'PUT', path: '/v1/clients/a', headers: json, body: JSON.stringify({ firstName: 'x'.repeat(5 * 1024 * 1024) }), expect: { status: 413, code: 'payload_too_large' } },
      { label: 'an unknown route', method: 'GET', path: '/v1/nothing-here', expect: { status: 404, code: 'not_found' } },
      { label: 'an unknown method on a route', method: 'PATCH', path: '/v1/batch', headers: json, body: '{}', expect: { status: 404, code: 'not_found' } },
    ];
    for (const c of cases) {
      const res = await fetch(`${s.origin}${c.path}`, { method: c.method, headers: { ...s.auth, ...c.headers }, body: c.body });
      expectErrorForm(c.label, res.status, res.headers.get('content-type'), await res.text(), c.expect);
    }
  });

  it('answers the usual form for requests that HTTP itself cannot parse', async () => {
    const cases: { label: string; request: string; expect: { status: number; code: string } }[] = [
      { label: 'garbage instead of a request line', request: 'HELLO THERE\r\n\r\n', expect: { status: 400, code: 'validation_failed' } },
      { label: 'a Content-Length that is not a number', request: 'PUT /v1/clients/a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}', expect: { status: 400, code: 'validation_failed' } },
      { label: 'headers over the size limit', request: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, expect: { status: 431, code: 'headers_too_large' } },
    ];
    for (const c of cases) {
      const res = await raw(s.origin, c.request);
      expectErrorForm(c.label, res.status, res.contentType, res.body, c.expect);
    }
  });

  it('takes a JSON content type with no body on routes that take no body', async () => {
    for (const [method, path] of [
      ['DELETE', '/v1/connections/conn_missing'],
      ['POST', '/v1/connections/conn_missing/deactivate'],
      ['POST', '/v1/connections/conn_missing/sync'],
      ['GET', '/v1/clients/nobody'],
    ] as const) {
      const plain = await fetch(`${s.origin}${path}`, { method, headers: s.auth });
      const withType = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...json } });
      const withLength = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...json, 'content-length': '0' }, body: method === 'GET' ? undefined : '' });
      expect([method, path, withType.status, withLength.status]).toEqual([method, path, plain.status, plain.status]);
      expect(plain.status).toBe(404);
      expectErrorForm(`${method} ${path}`, withType.status, withType.headers.get('content-type'), await withType.text(), { status: 404, code: 'not_found' });
    }
  });
});

describe('one error form while the server shuts down', () => {
  it('answers a request that arrives during shutdown with 503 unavailable in the usual form', async () => {
    const s = await startTestServer('sqlite');
    const { hostname, port } = new URL(s.origin);
    const socket = connect({ host: hostname, port: Number(port) });
    let data = '';
    socket.on('data', (c) => (data += c.toString('utf8')));
    const closed = new Promise((r) => socket.once('close', r));
    await new Promise((r) => socket.once('connect', r));
    // A request whose body is still arriving keeps the connection busy while the server starts closing ...
    socket.write('POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
    await new Promise((r) => setTimeout(r, 100));
    const closing = s.close();
    await new Promise((r) => setTimeout(r, 100));
    // ... then it ends, and a second request follows on the same connection.
    socket.write('}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    await closing;
    const second = data.slice(data.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    const [head = '', body = ''] = second.split('\r\n\r\n');
    expectErrorForm('a request during shutdown', 503, /^content-type: *(.*)$/im.exec(head)?.[1] ?? null, body, { status: 503, code: 'unavailable' });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_DIST } from '../../src/http/ui.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('security headers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('sqlite');
  });
  afterAll(async () => s.close());

  it('serves the admin UI with a CSP that allows only its own files, no framing, nosniff and a referrer policy', async () => {
    const script = readdirSync(join(UI_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    for (const path of ['/', '/connections', `/assets/${script}`]) {
      const res = await fetch(`${s.origin}${path}`);
      // Read to the end: an unread answer keeps its connection busy and the server from closing.
      await res.arrayBuffer();
      expect([path, res.status]).toEqual([path, 200]);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp['default-src'], path).toEqual(["'self'"]);
      expect(csp['script-src'], path).toEqual(["'self'"]);
      expect(csp['style-src'], path).toEqual(["'self'"]);
      expect(csp['object-src'], path).toEqual(["'none'"]);
      expect(csp['base-uri'], path).toEqual(["'none'"]);
      expect(csp['form-action'], path).toEqual(["'self'"]);
      expect(csp['frame-ancestors'], path).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('the built UI has no inline script or style that the CSP would block', () => {
    const html = readFileSync(join(UI_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+=/i);
  });

  it('gives every API answer nosniff and a deny-all CSP, errors of every layer included', async () => {
    const answers = [
      await fetch(`${s.origin}/healthz`),
      await fetch(`${s.origin}/v1/clients/a`, { headers: s.auth }),
      await fetch(`${s.origin}/v1/clients/a`),
      await fetch(`${s.origin}/v1/nothing`),
      await fetch(`${s.origin}/v1/clients/%zz`, { headers: s.auth }),
      await fetch(`${s.origin}/openapi.json`),
    ];
    await Promise.all(answers.map((res) => res.arrayBuffer()));
    for (const res of answers) {
      expect([res.url, res.headers.get('x-content-type-options')]).toEqual([res.url, 'nosniff']);
      expect([res.url, directives(res.headers.get('content-security-policy'))['default-src']]).toEqual([res.url, ["'none'"]]);
      expect([res.url, directives(res.headers.get('content-security-policy'))['frame-ancestors']]).toEqual([res.url, ["'none'"]]);
    }
    const { hostname, port } = new URL(s.origin);
    const rawHead = await new Promise<string>((resolve) => {
      let data = '';
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.end('NOT HTTP\r\n\r\n'));
      socket.on('data', (c) => (data += c.toString()));
      socket.on('close', () => resolve(data.split('\r\n\r\n')[0]!));
    });
    expect(rawHead).toMatch(/^X-Content-Type-Options: nosniff$/im);
  });

  it('gives the sandbox pages their own policy: their inline styles, no scripts, no framing', async () => {
    const { oauth } = await s.account('hubspot');
    const consent = `${s.origin}/sandbox/hubspot/oauth/authorize?${new URLSearchParams({ client_id: oauth!.clientId, redirect_uri: `${s.origin}/v1/oauth/callback`, state: 's' })}`;
    for (const url of [`${s.origin}/sandbox`, consent]) {
      const res = await fetch(url);
      await res.arrayBuffer();
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp['default-src'], url).toEqual(["'none'"]);
      expect(csp['style-src'], url).toEqual(["'unsafe-inline'"]);
      expect(csp['script-src'], url).toBeUndefined();
      expect(csp['frame-ancestors'], url).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerUi } from '../../src/http/ui.js';

async function appWith(root: string) {
  const app = Fastify();
  app.get('/v1/ping', async () => ({ ok: true }));
  await registerUi(app, root);
  return app;
}

describe('serving the admin UI', () => {
  const dist = mkdtempSync(join(tmpdir(), 'crm-sync-ui-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('answers index.html at / and at the UI’s own paths, files by name, and leaves the API’s 404s alone', async () => {
    const app = await appWith(dist);
    for (const url of ['/', '/connections', '/connections/conn_1', '/sync-logs?status=failed']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.body]).toEqual([url, 200, '<!doctype html><title>ui</title>']);
    }
    expect((await app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1)');
    for (const url of ['/v1/nope', '/sandbox/hubspot/nope', '/openapi.json', '/assets/missing.js']) expect([url, (await app.inject({ url })).statusCode]).toEqual([url, 404]);
    expect((await app.inject({ url: '/connections', method: 'POST' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/ping' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('says to run npm run build when ui/dist is missing', async () => {
    const app = await appWith(join(dist, 'not-built'));
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Run <code>npm run build</code>');
    expect((await app.inject({ url: '/v1/ping' })).statusCode).toBe(200);
    await app.close();
  });
});

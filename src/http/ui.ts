import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** ui/dist, built by `npm run build` (Vite); the same two levels up from src/http and dist/http. */
export const UI_DIST = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

/** Paths the UI never answers: the API, the sandbox CRMs and the server's own documents. */
const NOT_UI = /^\/(v1|sandbox|openapi\.json|healthz)(\/|\?|$)/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>crm-sync</title></head>
<body><h1>The admin UI is not built</h1><p>Run <code>npm run build</code> (or <code>npm run build:ui</code>) and restart the server.
The HTTP API answers under <a href="/openapi.json">/v1</a> meanwhile.</p></body></html>`;

/**
 * Serves the admin UI (ui/dist) at `/`. Any other GET that no route answers and that is
 * not under the API, the sandbox or a file name gets index.html, so the UI's own paths
 * (/connections, /sync-logs ...) survive a reload. It works in the not-found path rather
 * than with a `/*` route so that the sandbox CRMs keep their own 404 bodies.
 */
export async function registerUi(app: FastifyInstance, root = UI_DIST): Promise<void> {
  const built = existsSync(join(root, 'index.html'));
  // Only the files present at start get routes (wildcard: false): no catch-all route.
  if (built) await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h' });

  app.addHook('onRequest', async (req, reply) => {
    if (!req.is404 || (req.method !== 'GET' && req.method !== 'HEAD')) return;
    const path = req.url.split('?')[0]!;
    if (NOT_UI.test(path) || /\/[^/]*\.[a-z0-9]+$/i.test(path)) return;
    if (!built) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    // Read per request: a rebuild while the server runs is picked up (index.html is small).
    const html = await readFile(join(root, 'index.html'), 'utf8');
    return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });
}

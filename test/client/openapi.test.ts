import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ROUTES } from '../../src/client/index.js';
import { buildApp } from '../../src/http/app.js';
import { testAppDeps } from '../support/app.js';
import { openTestStore, type TestStore } from '../support/stores.js';

type Operation = { requestBody?: { content?: Record<string, { schema?: unknown }> } };
type OpenApiDoc = { paths: Record<string, Record<string, Operation>> };

/** Every ingest route, and whether it takes a body. */
const INGEST_ROUTES = [
  ['PUT', '/v1/clients/{clientId}', true],
  ['GET', '/v1/clients/{clientId}', false],
  ['PUT', '/v1/companies/{companyId}', true],
  ['GET', '/v1/companies/{companyId}', false],
  ['PUT', '/v1/conversations/{conversationId}', true],
  ['GET', '/v1/conversations/{conversationId}', false],
  ['PUT', '/v1/deals/{dealId}', true],
  ['GET', '/v1/deals/{dealId}', false],
  ['POST', '/v1/conversations/{conversationId}/messages', true],
  ['POST', '/v1/batch', true],
  ['GET', '/healthz', false],
] as const;

/** API-key management (PRODUCT.md K9), also in the client. */
const API_KEY_ROUTES = [
  ['GET', '/v1/api-keys', false],
  ['POST', '/v1/api-keys', true],
  ['POST', '/v1/api-keys/{id}/rotate', false],
  ['DELETE', '/v1/api-keys/{id}', false],
] as const;

/** A connection's sync progress, readable with an admin key, also in the client. */
const PROGRESS_ROUTES = [['GET', '/v1/connections/{id}/progress', false]] as const;
/** The audit log (issue 13 item 17), also in the client. */
const AUDIT_ROUTES = [['GET', '/v1/audit', false]] as const;

describe('the OpenAPI document and crm-sync/client', () => {
  let t: TestStore;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    const app = await buildApp(testAppDeps(t.store));
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
    await app.close();
  });
  afterAll(() => t.cleanup());

  const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()];

  it.each(Object.entries(CLIENT_ROUTES))('has the route the client calls for %s', (_name, route) => {
    expect(operation(route.method, route.path), `${route.method} ${route.path}`).toBeDefined();
  });

  it.each([...INGEST_ROUTES, ...API_KEY_ROUTES, ...PROGRESS_ROUTES, ...AUDIT_ROUTES])('lists %s %s, with a JSON body schema where it takes a body', (method, path, hasBody) => {
    const op = operation(method, path);
    expect(op, `${method} ${path}`).toBeDefined();
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    if (hasBody) expect(schema, `${method} ${path} request body`).toBeTypeOf('object');
    else expect(op?.requestBody).toBeUndefined();
  });

  it('covers every ingest, API-key and progress route with a client method', () => {
    const called = new Set(Object.values(CLIENT_ROUTES).map((r) => `${r.method} ${r.path}`));
    expect([...INGEST_ROUTES, ...API_KEY_ROUTES, ...PROGRESS_ROUTES, ...AUDIT_ROUTES].map(([m, p]) => `${m} ${p}`).filter((r) => !called.has(r))).toEqual([]);
  });

  it('keeps server code out of the client runtime: only `import type` reaches outside src/client', () => {
    const dir = join(import.meta.dirname, '../../src/client');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const runtimeImports = [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
      expect(runtimeImports.filter((spec) => !spec?.startsWith('./')), file).toEqual([]);
    }
  });
});

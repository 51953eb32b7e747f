import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/auth/api-keys.js';
import { KEY_CACHE_MS } from '../../src/http/auth.js';
import { buildApp } from '../../src/http/app.js';
import { Store } from '../../src/store/store.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { addUser } from '../../src/workspaces/users.js';
import { buildTestApp, testAppDeps, type TestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';
import { until } from '../support/until.js';

interface Session {
  cookie: string;
  'x-csrf-token': string;
}
interface NewKey {
  id: string;
  name: string;
  scopes: string[];
  key: string;
  revokedAt: string | null;
  createdBy: string | null;
}

describe.each(TEST_DIALECTS)('managing API keys, on %s', (dialect) => {
  let t: TestStore;
  let a: TestApp;
  let app: FastifyInstance;
  let owner: Session;
  let settingsAdmin: Session;
  let member: Session;

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const ingest = (key: string, target = app) => target.inject({ method: 'PUT', url: '/v1/clients/c-1', headers: bearer(key), payload: { emails: ['ada@example.com'] } });
  const connections = (key: string) => app.inject({ method: 'GET', url: '/v1/connections', headers: bearer(key) });
  const create = async (body: unknown, headers: Record<string, string> = a.auth) => app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: body as object });
  const created = async (name: string, scopes: string[]): Promise<NewKey> => {
    const res = await create({ name, scopes });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const audit = (action: string) => t.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  async function signIn(email: string, password: string): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });
    expect(res.statusCode).toBe(200);
    return { cookie: res.headers['set-cookie']!.toString().split(';')[0]!, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken };
  }

  beforeAll(async () => {
    t = await openTestStore(dialect);
    a = await buildTestApp(t.store);
    app = a.app;
    const ws = a.workspace.workspaceId;
    owner = await signIn(a.workspace.adminEmail, a.workspace.adminPassword);
    const sa = await addUser(t.store, { workspaceId: ws, email: 'settings@keys.test', role: 'settings_admin' });
    settingsAdmin = await signIn(sa.email, sa.password);
    const m = await addUser(t.store, { workspaceId: ws, email: 'member@keys.test', role: 'member' });
    member = await signIn(m.email, m.password);
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('lists the workspace’s keys with their scopes, never a secret or its hash', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: a.auth });
    expect(res.statusCode).toBe(200);
    const list = res.json<Record<string, unknown>[]>();
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]!).sort()).toEqual(['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes']);
    expect(list[0]).toMatchObject({ name: 'default', scopes: ['ingest', 'admin'], createdBy: 'system', revokedAt: null });
    const row = await t.store.db.selectFrom('api_keys').select('secret_hash').executeTakeFirstOrThrow();
    expect(res.body).not.toContain(row.secret_hash);
    expect(res.body).not.toContain(parseApiKey(a.workspace.apiKey)!.secret);
  });

  it('notes when a key was last used', async () => {
    expect((await ingest(a.workspace.apiKey)).statusCode).toBeLessThan(300);
    const list = (await app.inject({ method: 'GET', url: '/v1/api-keys', headers: a.auth })).json<{ lastUsedAt: string | null }[]>();
    expect(Date.parse(list[0]!.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('creates a key shown once; an ingest-only key ingests and gets 403 on admin routes', async () => {
    const k = await created('Platform feed', ['ingest']);
    expect(k.key).toMatch(/^csk_/);
    expect(k).toMatchObject({ name: 'Platform feed', scopes: ['ingest'], createdBy: `api_key:${parseApiKey(a.workspace.apiKey)!.id}`, revokedAt: null });
    expect((await ingest(k.key)).statusCode).toBeLessThan(300);
    const refused = await connections(k.key);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('"admin" scope');
    expect((await create({ name: 'x', scopes: ['admin'] }, bearer(k.key))).statusCode).toBe(403);
    const listed = (await app.inject({ method: 'GET', url: '/v1/api-keys', headers: a.auth })).body;
    expect(listed).toContain(k.id);
    expect(listed).not.toContain(k.key);
    expect(await audit('api_key.created')).toEqual([expect.objectContaining({ target: k.id, workspace_id: a.workspace.workspaceId })]);
  });

  it('gives an admin-only key admin routes and 403 on ingest routes (admin does not imply ingest)', async () => {
    const k = await created('Ops', ['admin']);
    expect((await connections(k.key)).statusCode).toBe(200);
    const refused = await ingest(k.key);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('"ingest" scope');
    expect((await create({ name: 'made by ops', scopes: ['ingest'] }, bearer(k.key))).statusCode).toBe(201);
  });

  it('names the field in validation errors', async () => {
    const res = await create({ name: '  ', scopes: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'scopes']);
    const bad = await create({ name: 'x', scopes: ['root'] });
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['scopes[0]']);
    const grace = await app.inject({ method: 'POST', url: `/v1/api-keys/${(await created('g', ['ingest'])).id}/rotate?graceSeconds=99999`, headers: a.auth });
    expect(grace.statusCode).toBe(400);
    expect(grace.json().error.details[0].path).toBe('query.graceSeconds');
  });

  it('lets a member list keys but not change them; owner and Settings Admin manage them (with CSRF)', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: { cookie: member.cookie } })).statusCode).toBe(200);
    const refused = await create({ name: 'm', scopes: ['ingest'] }, { ...member });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/owner, a Settings Admin or an API key with the admin scope/);
    expect((await create({ name: 'forged', scopes: ['ingest'] }, { cookie: owner.cookie, 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    const byOwner = await create({ name: 'by owner', scopes: ['ingest'] }, { ...owner });
    expect(byOwner.statusCode).toBe(201);
    expect(byOwner.json().createdBy).toMatch(/^user:usr_/);
    const bySa = await create({ name: 'by settings admin', scopes: ['admin', 'ingest', 'admin'] }, { ...settingsAdmin });
    expect(bySa.statusCode).toBe(201);
    expect(bySa.json().scopes).toEqual(['ingest', 'admin']);
    const id = byOwner.json().id as string;
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: { ...member } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/v1/api-keys/${id}/rotate`, headers: { ...member } })).statusCode).toBe(403);
  });

  it('revokes a key: it stops at once in this process, though its row was cached; revoking again changes nothing', async () => {
    const k = await created('to revoke', ['ingest']);
    expect((await ingest(k.key)).statusCode).toBeLessThan(300);
    const res = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${k.id}`, headers: a.auth });
    expect(res.statusCode).toBe(200);
    expect(Date.parse(res.json().revokedAt)).toBeLessThanOrEqual(Date.now());
    const after = await ingest(k.key);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toBe('The API key is not valid or has been revoked');
    const again = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${k.id}`, headers: a.auth });
    expect(again.json().revokedAt).toBe(res.json().revokedAt);
    expect((await audit('api_key.revoked')).filter((e) => e.target === k.id)).toHaveLength(1);
  });

  it('rotates a key: a new key with its name and scopes; the old one stops at once and cannot be rotated again', async () => {
    const k = await created('rotating', ['ingest']);
    expect((await ingest(k.key)).statusCode).toBeLessThan(300);
    const res = await app.inject({ method: 'POST', url: `/v1/api-keys/${k.id}/rotate`, headers: a.auth });
    expect(res.statusCode).toBe(201);
    const next = res.json<NewKey>();
    expect(next).toMatchObject({ name: 'rotating', scopes: ['ingest'], revokedAt: null });
    expect(next.id).not.toBe(k.id);
    expect((await ingest(k.key)).statusCode).toBe(401);
    expect((await ingest(next.key)).statusCode).toBeLessThan(300);
    const twice = await app.inject({ method: 'POST', url: `/v1/api-keys/${k.id}/rotate`, headers: a.auth });
    expect(twice.statusCode).toBe(409);
    expect((await audit('api_key.rotated')).find((e) => e.target === k.id)?.details).toBeDefined();
  });

  it('rotates with a grace period: the old key works until then, and revoking it cuts the period short', async () => {
    const k = await created('graceful', ['ingest']);
    const res = await app.inject({ method: 'POST', url: `/v1/api-keys/${k.id}/rotate?graceSeconds=60`, headers: a.auth });
    expect(res.statusCode).toBe(201);
    expect((await ingest(k.key)).statusCode).toBeLessThan(300);
    const old = (await app.inject({ method: 'GET', url: '/v1/api-keys', headers: a.auth })).json<NewKey[]>().find((x) => x.id === k.id)!;
    expect(Date.parse(old.revokedAt!)).toBeGreaterThan(Date.now() + 50_000);
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${k.id}`, headers: a.auth })).statusCode).toBe(200);
    expect((await ingest(k.key)).statusCode).toBe(401);
  });

  it('answers 404 for another workspace’s key, and lists only this workspace’s', async () => {
    const other = await createWorkspace(t.store, { name: 'Other' });
    const otherId = parseApiKey(other.apiKey)!.id;
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${otherId}`, headers: a.auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/v1/api-keys/${otherId}/rotate`, headers: a.auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: a.auth })).body).not.toContain(otherId);
    expect((await ingest(other.apiKey)).statusCode).toBeLessThan(300);
  });

  it(`stops a revoked key in another process on the same database within KEY_CACHE_MS (${KEY_CACHE_MS} ms)`, async () => {
    const second = Store.open(t.location);
    const other = await buildApp(testAppDeps(second));
    try {
      const k = await created('shared', ['ingest']);
      expect((await ingest(k.key, other)).statusCode).toBeLessThan(300);
      const revokedAt = Date.now();
      expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${k.id}`, headers: a.auth })).statusCode).toBe(200);
      const { ms } = await until('the other process to refuse the key', async () => ((await ingest(k.key, other)).statusCode === 401 ? true : undefined), KEY_CACHE_MS + 2_000);
      expect(ms).toBeLessThanOrEqual(KEY_CACHE_MS + 500);
      expect(Date.now() - revokedAt).toBeLessThanOrEqual(KEY_CACHE_MS + 1_000);
    } finally {
      await other.close();
      await second.close();
    }
  }, 20_000);
});

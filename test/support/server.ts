import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parseApiKey } from '../../src/auth/api-keys.js';
import { Vault } from '../../src/auth/vault.js';
import { buildApp } from '../../src/http/app.js';
import { hashToken, SESSION_COOKIE, SESSION_TTL_MS } from '../../src/http/session.js';
import { createLogger } from '../../src/logging.js';
import { Sandbox } from '../../src/sandbox/runtime.js';
import type { CrmHttp } from '../../src/connectors/http/client.js';
import type { CrmId } from '../../src/domain/crm.js';
import type { Resolve } from '../../src/net/addresses.js';
import { insertSession } from '../../src/store/sessions.js';
import { createWorkspace, type NewWorkspace } from '../../src/workspaces/create.js';
import { openTestStore, type TestDialect, type TestStore } from './stores.js';
import { until } from './until.js';

export interface TestServer {
  app: FastifyInstance;
  t: TestStore;
  vault: Vault;
  /** The 32-byte key the vault seals with, for a second process to open the same credentials. */
  secretKey: Buffer;
  sandbox: Sandbox;
  origin: string;
  workspace: NewWorkspace;
  /** Admin-scoped API key header of the workspace. */
  auth: { authorization: string };
  /** Every log line the server wrote. */
  logs: string[];
  sandboxUrl(crm: CrmId): string;
  /** The sandbox's seeded account for a CRM (credentials, OAuth app, users). */
  account(crm: CrmId): Promise<Record<string, unknown> & { credentials: Record<string, string>; oauth?: { clientId: string; clientSecret: string } }>;
  /** A JSON call to crm-sync's API with the workspace's admin key. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Worker passes until nothing is left to sync (a deferred item comes back within seconds). */
  syncAll(): Promise<void>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The whole product on a loopback port, the sandbox CRMs mounted on it, over a fresh store.
 * `http` replaces the CRM HTTP client (e.g. a shorter timeout, so the sandbox's slow answers time out);
 * `resolve` answers host names (this machine has no public DNS).
 */
export async function startTestServer(dialect: TestDialect, options: { http?: CrmHttp; resolve?: Resolve } = {}): Promise<TestServer> {
  const t = await openTestStore(dialect);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const secretKey = randomBytes(32);
  const vault = new Vault(secretKey);
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const sandbox = new Sandbox();
  const app = await buildApp({ store: t.store, vault, logger, sandbox, http: options.http, resolve: options.resolve, config: { publicUrl: origin, sandboxEnabled: true, oauthApps: {} } });
  await app.listen({ host: '127.0.0.1', port });
  const workspace = await createWorkspace(t.store, { name: 'Test', defaultCountry: 'ES' });
  return {
    app,
    t,
    vault,
    secretKey,
    sandbox,
    origin,
    workspace,
    auth: { authorization: `Bearer ${workspace.apiKey}` },
    logs,
    sandboxUrl: (crm) => `${origin}/sandbox/${crm}`,
    account: async (crm) => {
      const res = await fetch(`${origin}/sandbox/__control`);
      const body = (await res.json()) as { crms: Record<string, Awaited<ReturnType<TestServer['account']>>> };
      return body.crms[crm]!;
    },
    api: async (method, path, body) => {
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${workspace.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    syncAll: async () => {
      await until(
        'nothing left to sync',
        async () => {
          await app.syncWorker.runOnce();
          const open = await t.store.db.selectFrom('sync_items').select('entity_id').whereRef('pending_version', '>', 'synced_version').execute();
          return open.length === 0 ? true : undefined;
        },
        20_000,
      );
    },
    close: async () => {
      await app.close();
      await t.cleanup();
    },
  };
}

/** An admin's browser: its session cookie, and the CSRF token the UI echoes on every change. */
export interface Browser {
  cookie: string;
  csrfToken: string;
}

/** Signs a browser in through POST /v1/session. */
export async function signInBrowser(origin: string, email: string, password: string): Promise<Browser> {
  const res = await fetch(`${origin}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
}

const browsers = new Map<string, Browser>();

/**
 * The browser of the owner of the workspace whose API key `s.auth` holds (a test may pass
 * another workspace's key). Its session is written straight into the store: these tests are
 * about connecting, and a sign-in per OAuth dance would only add password hashing.
 */
async function ownerBrowser(s: TestServer): Promise<Browser> {
  const keyId = parseApiKey(s.auth.authorization.replace(/^Bearer /, ''))!.id;
  const cacheKey = `${s.origin} ${keyId}`;
  const known = browsers.get(cacheKey);
  if (known) return known;
  const db = s.t.store.db;
  const { workspace_id } = await db.selectFrom('api_keys').select('workspace_id').where('id', '=', keyId).executeTakeFirstOrThrow();
  const owner = await db.selectFrom('users').select('id').where('workspace_id', '=', workspace_id).where('role', '=', 'owner').executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  const browser = { cookie: `${SESSION_COOKIE}=${token}`, csrfToken: randomBytes(32).toString('base64url') };
  const now = Date.now();
  await insertSession(db, { token_hash: hashToken(token), user_id: owner.id, workspace_id, csrf_token: browser.csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS });
  browsers.set(cacheKey, browser);
  return browser;
}

/** POST /v1/oauth/{crm}/start as the UI does (session cookie and CSRF token), or with an API key. */
export function startOAuth(origin: string, crm: string, body: Record<string, string>, as: Browser | { authorization: string }): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ('cookie' in as) Object.assign(headers, { cookie: as.cookie, 'x-csrf-token': as.csrfToken });
  else Object.assign(headers, as);
  return fetch(`${origin}/v1/oauth/${crm}/start`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The sandbox's consent page for an authorize URL, answered; returns where it sends the browser (our callback). */
export async function answerConsent(authorizeUrl: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
  const consent = new URL(authorizeUrl);
  const page = await fetch(consent);
  if (!(await page.text()).includes('Approve')) throw new Error('no consent page');
  const form = new URLSearchParams(Object.fromEntries(consent.searchParams));
  form.set('decision', decision);
  const approved = await fetch(consent, { method: 'POST', body: form, redirect: 'manual' });
  const back = approved.headers.get('location');
  if (!back) throw new Error(`consent did not redirect: ${approved.status} ${await approved.text()}`);
  return back;
}

/**
 * Follows an OAuth start through the sandbox's consent page (Approve) and back to our callback,
 * as the workspace owner's browser does it: the start and the callback carry its session.
 */
export async function approveOAuth(s: TestServer, crm: CrmId, query: Record<string, string>, decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
  const browser = await ownerBrowser(s);
  const start = await startOAuth(s.origin, crm, query, browser);
  if (start.status !== 200) throw new Error(`start failed: ${start.status} ${await start.text()}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const callback = await fetch(await answerConsent(authorizeUrl, decision), { redirect: 'manual', headers: { cookie: browser.cookie } });
  if (callback.status !== 302) throw new Error(`callback refused: ${callback.status} ${await callback.text()}`);
  return new URL(callback.headers.get('location') ?? '', s.origin);
}

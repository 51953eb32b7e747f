import { afterAll, beforeAll, expect } from 'vitest';
import type { Credentials } from '../../src/connectors/types.js';
import type { CrmId } from '../../src/domain/crm.js';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import type { TestDialect } from '../support/stores.js';

/** A connection as GET /v1/connections/{id} shows it. */
export interface View {
  id: string;
  crm: CrmId;
  status: 'connected' | 'needs_reconnect' | 'error' | 'disconnected';
  authMethod: 'oauth' | 'api_key' | 'service';
  target: { baseUrl?: string; region?: string; tenantId?: string; instanceUrl?: string; apiUrl?: string };
  account: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface Answer {
  status: number;
  text: string;
  json<T = View>(): T;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/**
 * One product server (with the sandbox CRMs) per suite, and the HTTP calls the connection
 * tests make through it. Every response body and redirect it sees is kept, so a test can
 * check that no secret ever left the API.
 */
export class Harness {
  private server?: TestServer;
  /** Every response text (and OAuth redirect location) the API gave in this suite. */
  readonly seen: string[] = [];

  get s(): TestServer {
    if (!this.server) throw new Error('the test server is not started');
    return this.server;
  }

  /** Starts the server before the suite's tests and stops it after them. */
  static start(dialect: TestDialect): Harness {
    const h = new Harness();
    beforeAll(async () => {
      h.server = await startTestServer(dialect);
    });
    afterAll(() => h.server?.close());
    return h;
  }

  async api(method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.s.origin}${path}`, {
      method,
      headers: { ...this.s.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    this.seen.push(text);
    return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  }

  /** POST /v1/connections; expects 201 and returns the view. */
  async connect(body: Record<string, unknown>): Promise<View> {
    const res = await this.api('POST', '/v1/connections', body);
    expect(res.status, res.text).toBe(201);
    return res.json();
  }

  /** POST /v1/connections, expecting a 400 credentials_refused; returns its message. */
  async refused(body: Record<string, unknown>): Promise<string> {
    const res = await this.api('POST', '/v1/connections', body);
    expect(res.status, res.text).toBe(400);
    const { error } = res.json<ErrorBody>();
    expect(error.code).toBe('credentials_refused');
    return error.message;
  }

  /** Connects with OAuth through the sandbox's consent page; returns the stored view. */
  async connectOAuth(crm: CrmId, query: Record<string, string>): Promise<View> {
    const back = await approveOAuth(this.s, crm, query);
    this.seen.push(back.toString());
    expect(back.searchParams.get('message')).toBeNull();
    expect(back.searchParams.get('status')).toBe('connected');
    return this.view(back.searchParams.get('connection')!);
  }

  async view(id: string): Promise<View> {
    const res = await this.api('GET', `/v1/connections/${id}`);
    expect(res.status, res.text).toBe(200);
    return res.json();
  }

  async test(id: string): Promise<View> {
    const res = await this.api('POST', `/v1/connections/${id}/test`);
    expect(res.status, res.text).toBe(200);
    return res.json();
  }

  /** DELETE /v1/connections/{id}: disconnected, and the vault no longer holds its credentials. */
  async disconnect(id: string): Promise<void> {
    const res = await this.api('DELETE', `/v1/connections/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json().status).toBe('disconnected');
    const row = await this.s.t.store.db.selectFrom('connections').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.credentials).toBeNull();
  }

  /** The workspace's connections as the API lists them. */
  async list(): Promise<View[]> {
    return (await this.api('GET', '/v1/connections')).json<View[]>();
  }

  /** What the vault holds for a connection (the test reads it to revoke tokens at the fake vendor). */
  async credentials(id: string): Promise<Credentials> {
    const row = await this.s.t.store.db.selectFrom('connections').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
    if (!row.credentials) throw new Error(`connection ${id} holds no credentials`);
    return this.s.vault.openJson<Credentials>(row.credentials, id);
  }

  /** The fake vendor's count of token requests (authorization code, refresh, client credentials). */
  async tokenRequests(crm: CrmId): Promise<number> {
    const res = await fetch(`${this.s.origin}/sandbox/__control/stats`);
    const stats = (await res.json()) as Record<string, { tokenRequests: number }>;
    return stats[crm]!.tokenRequests;
  }

  /** Makes the fake vendor expire every access token it issued. */
  async expireTokens(crm: CrmId): Promise<void> {
    const res = await fetch(`${this.s.origin}/sandbox/__control/expire-tokens?crm=${crm}`, { method: 'POST' });
    expect(res.status).toBe(200);
  }

  /** No response or redirect of this suite contains any of these values. */
  expectNoSecret(...secrets: (string | undefined)[]): void {
    const values = secrets.filter((v): v is string => typeof v === 'string' && v.length >= 8);
    expect(values.length).toBeGreaterThan(0);
    expect(this.seen.length).toBeGreaterThan(0);
    for (const text of this.seen) for (const secret of values) expect(text.includes(secret), `a response contains a secret: ${text.slice(0, 200)}`).toBe(false);
  }

  /** The secrets of a stored connection, for expectNoSecret. */
  async secretsOf(id: string): Promise<string[]> {
    const c = await this.credentials(id);
    if (c.method === 'api_key') return [c.apiKey];
    if (c.method === 'service') return [c.clientSecret, ...(c.accessToken ? [c.accessToken] : [])];
    return [c.accessToken, ...(c.refreshToken ? [c.refreshToken] : [])];
  }

  /**
   * After a refused grant: the connection says needs_reconnect in words, the audit log and the
   * sync log say so, and another Test Connection asks the vendor for no token.
   */
  async expectNeedsReconnect(crm: CrmId, id: string, reason: RegExp): Promise<void> {
    const db = this.s.t.store.db;
    const priorAudit = await db.selectFrom('audit_log').select('id').where('target', '=', id).where('action', '=', 'connection.needs_reconnect').execute();
    const priorLogs = await db.selectFrom('sync_logs').select('id').where('connection_id', '=', id).where('operation', '=', 'refresh_token').execute();
    const after = <T extends { id: number }>(rows: T[], prior: { id: number }[]) => rows.filter((r) => !prior.some((p) => p.id === r.id));

    const tested = await this.test(id);
    expect(tested.status).toBe('needs_reconnect');
    expect(tested.lastError).toMatch(reason);
    expect(tested.lastErrorAt).not.toBeNull();

    const audit = after(await db.selectFrom('audit_log').selectAll().where('target', '=', id).where('action', '=', 'connection.needs_reconnect').execute(), priorAudit);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('system');
    const logs = after(await db.selectFrom('sync_logs').selectAll().where('connection_id', '=', id).where('operation', '=', 'refresh_token').execute(), priorLogs);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ crm, status: 'failed' });
    expect(logs[0]!.message).toMatch(reason);
    expect(logs[0]!.action).toMatch(/Reconnect/);

    const before = await this.tokenRequests(crm);
    const again = await this.test(id);
    expect(again.status).toBe('needs_reconnect');
    expect(again.lastError).toMatch(/reconnect/i);
    expect(await this.tokenRequests(crm)).toBe(before);
    // Still one of each: the second test did not write a second refresh failure.
    expect(after(await db.selectFrom('sync_logs').select('id').where('connection_id', '=', id).where('operation', '=', 'refresh_token').execute(), priorLogs)).toHaveLength(1);
    expect(after(await db.selectFrom('audit_log').select('id').where('target', '=', id).where('action', '=', 'connection.needs_reconnect').execute(), priorAudit)).toHaveLength(1);
    expect((await this.view(id)).status).toBe('needs_reconnect');
  }

  /** The CRM's auth methods as GET /v1/crms lists them. */
  async authMethods(crm: CrmId): Promise<string[]> {
    const res = await fetch(`${this.s.origin}/v1/crms`);
    const crms = (await res.json()) as { id: string; authMethods: string[] }[];
    return crms.find((c) => c.id === crm)!.authMethods;
  }
}

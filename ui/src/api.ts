// The one place the UI talks to the server: the documented HTTP API, with the session
// cookie and the CSRF token the session handed out.
import type { Activation, ApiKey, ApiKeyScope, AuditPage, Connection, ConnectionProgress, CrmInfo, CrmProperty, DestinationOffer, NewApiKey, SandboxControl, Session, SettingsPatch, SyncLogPage } from './types';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An API error as `{"error":{code,message,details}}`, kept whole so forms can place each detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `The server answered ${res.status}`, e?.details ?? []);
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  async signIn(email: string, password: string): Promise<Session> {
    const s = await call<Session>('POST', '/v1/session', { email, password });
    csrfToken = s.csrfToken;
    return s;
  },
  async session(): Promise<Session | undefined> {
    try {
      const s = await call<Session>('GET', '/v1/session');
      csrfToken = s.csrfToken;
      return s;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return undefined;
      throw e;
    }
  },
  signOut: () => call<void>('DELETE', '/v1/session'),
  crms: () => call<CrmInfo[]>('GET', '/v1/crms'),
  connections: () => call<Connection[]>('GET', '/v1/connections'),
  connection: (id: string) => call<Connection>('GET', `/v1/connections/${encodeURIComponent(id)}`),
  connect: (body: Record<string, unknown>) => call<Connection>('POST', '/v1/connections', body),
  configure: (id: string, settings: SettingsPatch) => call<Connection>('PATCH', `/v1/connections/${encodeURIComponent(id)}`, { settings }),
  test: (id: string) => call<Connection>('POST', `/v1/connections/${encodeURIComponent(id)}/test`),
  /** Done, pending and failed items, the rate and an ETA. */
  progress: (id: string) => call<ConnectionProgress>('GET', `/v1/connections/${encodeURIComponent(id)}/progress`),
  syncNow: (id: string) => call<{ pending: number }>('POST', `/v1/connections/${encodeURIComponent(id)}/sync`),
  activate: (id: string) => call<Activation>('POST', `/v1/connections/${encodeURIComponent(id)}/activate`),
  deactivate: (id: string) => call<Connection>('POST', `/v1/connections/${encodeURIComponent(id)}/deactivate`),
  /** Where clients can go, for CRMs that offer a choice (404 for the others). */
  destinations: (id: string) => call<DestinationOffer>('GET', `/v1/connections/${encodeURIComponent(id)}/destinations`),
  /** The CRM's own contact properties, offered as field-mapping targets. */
  properties: (id: string) => call<{ properties: CrmProperty[] }>('GET', `/v1/connections/${encodeURIComponent(id)}/properties`),
  disconnect: (id: string) => call<Connection>('DELETE', `/v1/connections/${encodeURIComponent(id)}`),
  apiKeys: () => call<ApiKey[]>('GET', '/v1/api-keys'),
  createApiKey: (name: string, scopes: ApiKeyScope[]) => call<NewApiKey>('POST', '/v1/api-keys', { name, scopes }),
  rotateApiKey: (id: string, graceSeconds: number) => call<NewApiKey>('POST', `/v1/api-keys/${encodeURIComponent(id)}/rotate?graceSeconds=${graceSeconds}`),
  revokeApiKey: (id: string) => call<ApiKey>('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`),
  syncLogs: (query: Record<string, string>) => call<SyncLogPage>('GET', `/v1/sync-logs?${new URLSearchParams(query)}`),
  audit: (query: Record<string, string>) => call<AuditPage>('GET', `/v1/audit?${new URLSearchParams(query)}`),
  /**
   * Starts OAuth: a POST with the CSRF token (a page on another site cannot send one), answering
   * the CRM's consent page URL; only this browser session can then finish the authorization.
   */
  oauthStart: (crm: string, target: Record<string, string | undefined>) => {
    const body: Record<string, string> = { returnTo: '/connections' };
    for (const [k, v] of Object.entries(target)) if (v) body[k] = v;
    return call<{ authorizeUrl: string }>('POST', `/v1/oauth/${encodeURIComponent(crm)}/start`, body);
  },
  /** The fake CRMs' control API; undefined when the sandbox is off on this server. */
  async sandbox(): Promise<SandboxControl | undefined> {
    try {
      return await call<SandboxControl>('GET', '/sandbox/__control');
    } catch {
      return undefined;
    }
  },
};

/** Details of an error by field: `settings.fieldMappings[0].source` -> that key. */
export function detailsByPath(e: unknown, strip = ''): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const d of e.details) {
    const path = d.path.startsWith(strip) ? d.path.slice(strip.length) : d.path;
    out[path] = out[path] ? `${out[path]}; ${d.message}` : d.message;
  }
  return out;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

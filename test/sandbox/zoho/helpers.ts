import { createHash, randomBytes } from 'node:crypto';
import type { RunningSandbox } from '../../support/sandbox.js';

export const CLIENT_ID = '1000.SANDBOXZOHOCRMCLIENT0000000001';
export const CLIENT_SECRET = 'sandbox0zoho0client0secret0000000000000001';
export const ALL_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ,ZohoCRM.notifications.ALL';
export const REDIRECT = 'http://127.0.0.1:1/callback';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  api_domain: string;
  token_type: string;
  expires_in: number;
  error?: string;
}

/** Approves the consent page and returns the redirect (code, state, location, accounts-server). */
export async function approve(sb: RunningSandbox, opts: { dc?: string; scope?: string; challenge?: string; decision?: string } = {}): Promise<URL> {
  const dc = opts.dc ?? 'us';
  const form = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: opts.scope ?? ALL_SCOPES,
    state: 'st-123',
    access_type: 'offline',
    decision: opts.decision ?? 'approve',
    ...(opts.challenge ? { code_challenge: opts.challenge, code_challenge_method: 'S256' } : {}),
  });
  const res = await fetch(`${sb.baseUrl('zoho')}/accounts/${dc}/oauth/v2/auth`, { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

export async function tokenRequest(sb: RunningSandbox, dc: string, params: Record<string, string>): Promise<TokenResponse> {
  const res = await fetch(`${sb.baseUrl('zoho')}/accounts/${dc}/oauth/v2/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...params }),
  });
  return (await res.json()) as TokenResponse;
}

/** The full authorization-code flow with PKCE S256. */
export async function authorize(sb: RunningSandbox, opts: { dc?: string; scope?: string } = {}): Promise<TokenResponse> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = await approve(sb, { ...opts, challenge });
  return tokenRequest(sb, opts.dc ?? 'us', {
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
}

/** Calls the CRM API with Zoho's header; `path` is under `/crm/v8`. */
export function zoho(sb: RunningSandbox, token: string, path: string, init: { method?: string; body?: unknown; dc?: string } = {}) {
  const base = init.dc ? `${sb.baseUrl('zoho')}/${init.dc}` : sb.baseUrl('zoho');
  return fetch(`${base}/crm/v8${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Zoho-oauthtoken ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

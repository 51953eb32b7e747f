import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { CrmError } from '../../src/connectors/errors.js';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { requestToken } from '../../src/connectors/http/oauth-token.js';
import type { ConnectionTarget, CrmConnection, OAuthApp, TokenSet } from '../../src/connectors/types.js';
import type { CrmId } from '../../src/domain/crm.js';
import { CRM_NAMES } from '../../src/domain/crm.js';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';

export const http = createCrmHttp();
export const REDIRECT_URI = 'https://crm-sync.example.test/v1/oauth/callback';

/** What `GET /sandbox/__control` says about one CRM (only the parts these tests read). */
export interface SandboxAccount {
  baseUrl: string;
  oauth?: { clientId: string; clientSecret: string };
  credentials: Record<string, unknown>;
}

export interface ConnectorHarness {
  sb: RunningSandbox;
  account: SandboxAccount;
  target: ConnectionTarget;
  reset(): Promise<void>;
}

/** Starts the sandbox and reads one CRM's seeded credentials from its control API, over HTTP. */
export async function startFor(crm: CrmId): Promise<ConnectorHarness> {
  const sb = await startSandbox();
  const control = (await (await fetch(`${sb.origin}/sandbox/__control`)).json()) as { crms: Record<CrmId, SandboxAccount> };
  const account = control.crms[crm];
  return {
    sb,
    account,
    target: { baseUrl: account.baseUrl },
    reset: async () => {
      await fetch(`${sb.origin}/sandbox/__control/reset?crm=${crm}`, { method: 'POST' });
    },
  };
}

export function appOf(account: SandboxAccount): OAuthApp {
  if (!account.oauth) throw new Error('this sandbox CRM has no OAuth app');
  return { clientId: account.oauth.clientId, clientSecret: account.oauth.clientSecret };
}

/**
 * The whole authorization code flow as a browser and crm-sync would drive it: the consent page
 * with state and a PKCE S256 challenge, Approve, the code from the redirect, the token exchange.
 */
export async function authorize(conn: CrmConnection, target: ConnectionTarget, app: OAuthApp): Promise<{ tokens: TokenSet; target: ConnectionTarget; callback: URL }> {
  const oauth = conn.oauth;
  if (!oauth) throw new Error(`${conn.id} has no OAuth`);
  const ep = oauth.endpoints(target);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const params = {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: REDIRECT_URI,
    state,
    scope: (ep.scopes ?? oauth.scopes).join(oauth.scopeSeparator ?? ' '),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...ep.authorizeParams,
  };
  const url = new URL(ep.authorizeUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);

  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Approve');
  const approved = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, decision: 'approve' }).toString(),
    redirect: 'manual',
  });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get('location') as string);
  expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
  expect(callback.searchParams.get('state')).toBe(state);
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();

  const body = await requestToken(http, {
    crmName: CRM_NAMES[conn.id],
    tokenUrl: ep.tokenUrl,
    clientAuth: oauth.clientAuth,
    ...app,
    params: { grant_type: 'authorization_code', code: code as string, redirect_uri: REDIRECT_URI, code_verifier: verifier },
  });
  const read = oauth.readTokenResponse(body, Date.now());
  return { tokens: read.tokens, target: { ...target, ...read.target }, callback };
}

/** A refresh_token grant, read back through the connector. */
export async function refresh(conn: CrmConnection, target: ConnectionTarget, app: OAuthApp, refreshToken: string, extra: Record<string, string> = {}): Promise<{ tokens: TokenSet; target: ConnectionTarget }> {
  const oauth = conn.oauth as NonNullable<CrmConnection['oauth']>;
  const body = await requestToken(http, {
    crmName: CRM_NAMES[conn.id],
    tokenUrl: oauth.endpoints(target).tokenUrl,
    clientAuth: oauth.clientAuth,
    ...app,
    params: { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
  });
  const read = oauth.readTokenResponse(body, Date.now());
  return { tokens: read.tokens, target: { ...target, ...read.target } };
}

/** The rejection of `work`, which must be a CrmError. */
export async function failureOf(work: Promise<unknown>): Promise<CrmError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

/** An `auth` failure whose message names the CRM and tells the admin what to do. */
export function expectAuthFailure(err: CrmError, crm: CrmId, advice: RegExp = /reconnect|check the/i): void {
  expect(err.kind).toBe('auth');
  expect(err.message).toContain(CRM_NAMES[crm]);
  expect(err.message).toMatch(advice);
}

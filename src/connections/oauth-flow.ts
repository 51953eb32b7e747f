import { createHash, randomBytes } from 'node:crypto';
import { CrmError } from '../connectors/errors.js';
import { requestToken } from '../connectors/http/oauth-token.js';
import { connectionFacts } from '../connectors/registry.js';
import type { ConnectionTarget } from '../connectors/types.js';
import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import { AppError } from '../errors.js';
import { consumeOAuthState, findOAuthState, insertOAuthState } from '../store/oauth-states.js';
import type { OAuthStateTable } from '../store/schema.js';
import { readJson, writeJson } from '../store/store.js';
import type { ConnectionDeps, Connections } from './service.js';
import type { ConnectionView } from './view.js';

const STATE_TTL_MS = 10 * 60_000;

const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');

/** Who starts an authorization: the workspace, the actor, and the browser session if a browser started it. */
export interface OAuthStarter {
  workspaceId: string;
  actor: string;
  /** Hash of the session token when a signed-in browser started; null for an API key. */
  sessionHash: string | null;
}

/** The browser the CRM sent back to the callback, as its session cookie tells; undefined when signed out. */
export interface ReturningBrowser {
  sessionHash: string;
  workspaceId: string;
  role: 'owner' | 'settings_admin' | 'member';
}

/**
 * OAuth 2 authorization code with PKCE (S256). The state is random, single use, expires in ten
 * minutes and is bound to the workspace, the admin who started and the browser that must finish
 * it; only its hash is stored, and the PKCE verifier is sealed by the vault.
 *
 * Without that last binding, anyone could send an admin of another company a link to the CRM's
 * consent page for an authorization started in their own workspace: approving it would connect
 * the victim's CRM to the sender's workspace. So the callback must arrive in the browser session
 * that started (a start from the UI), or, for a start with an API key (which no browser holds),
 * in a browser signed in to that workspace as an owner or Settings Admin.
 */
export class OAuthFlow {
  constructor(
    private readonly deps: ConnectionDeps & { publicUrl: string },
    private readonly connections: Connections,
  ) {}

  get redirectUri(): string {
    return `${this.deps.publicUrl}/v1/oauth/callback`;
  }

  async start(starter: OAuthStarter, crm: CrmId, target: ConnectionTarget, returnTo: string | undefined): Promise<string> {
    const { workspaceId, actor } = starter;
    const returnPath = this.returnPath(returnTo);
    const oauth = connectionFacts(crm).oauth;
    if (!oauth) throw new AppError('validation_failed', `${CRM_NAMES[crm]} does not connect with OAuth; use its API key form.`);
    await this.connections.assertTarget(crm, target);
    await this.connections.assertNoLiveConnection(workspaceId, crm);
    const app = await this.deps.oauthApp(crm, target);
    if (!app) {
      throw new AppError('validation_failed', `No OAuth app is configured for ${CRM_NAMES[crm]}: set ${crm.toUpperCase()}_CLIENT_ID and ${crm.toUpperCase()}_CLIENT_SECRET.`);
    }
    // The vendor's endpoints first: a target they cannot serve (an unknown data centre) is the
    // admin's input to fix, and no state is stored for it.
    let endpoints;
    try {
      endpoints = oauth.endpoints(target);
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      const field = target.region !== undefined ? 'region' : target.tenantId !== undefined ? 'tenantId' : 'instanceUrl';
      throw new AppError('validation_failed', undefined, [{ path: field, message: err.message }]);
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const stateHash = sha256(state);
    const now = Date.now();
    await insertOAuthState(this.deps.store.db, {
      state_hash: stateHash,
      workspace_id: workspaceId,
      crm,
      actor,
      target: writeJson(target),
      code_verifier: this.deps.vault.encrypt(verifier, stateHash),
      return_to: returnPath,
      created_at: now,
      expires_at: now + STATE_TTL_MS,
      used_at: null,
      session_hash: starter.sessionHash,
    });
    const url = new URL(endpoints.authorizeUrl);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: this.redirectUri,
      scope: (endpoints.scopes ?? oauth.scopes).join(oauth.scopeSeparator ?? ' '),
      state,
      code_challenge: sha256(verifier),
      code_challenge_method: 'S256',
      ...endpoints.authorizeParams,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Finishes an authorization: exchanges the code, checks the connection, stores it. */
  async finish(
    query: { code?: string; state?: string; error?: string; error_description?: string },
    browser: ReturningBrowser | undefined,
  ): Promise<{ connection?: ConnectionView; returnTo: string; crm?: CrmId; error?: string }> {
    if (!query.state) throw new AppError('validation_failed', 'The CRM sent no state; start connecting again from crm-sync.');
    const stateHash = sha256(query.state);
    const expired = () => new AppError('validation_failed', 'This authorization has expired or was already used; start connecting again.');
    const pending = await findOAuthState(this.deps.store.db, stateHash, Date.now());
    if (!pending) throw expired();
    // Before using the state: a wrong browser leaves it for the right one to finish.
    assertSameBrowser(pending, browser);
    const state = await this.deps.store.write((tx) => consumeOAuthState(tx, stateHash, Date.now()));
    if (!state) throw expired();
    const crm = state.crm as CrmId;
    const returnTo = (state.return_to !== null && this.returnPathOrNull(state.return_to)) || '/';
    const name = CRM_NAMES[crm];
    if (query.error) {
      return { returnTo, crm, error: query.error === 'access_denied' ? `Access to ${name} was denied on its consent page.` : `${name} said: ${query.error_description ?? query.error}` };
    }
    if (!query.code) return { returnTo, crm, error: `${name} sent no authorization code.` };
    const facts = connectionFacts(crm);
    const target = readJson<ConnectionTarget>(state.target);
    const app = await this.deps.oauthApp(crm, target);
    if (!facts.oauth || !app) return { returnTo, crm, error: `No OAuth app is configured for ${name}.` };
    const now = Date.now();
    try {
      const body = await requestToken(this.deps.http, {
        crmName: name,
        tokenUrl: facts.oauth.endpoints(target).tokenUrl,
        clientAuth: facts.oauth.clientAuth,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        params: {
          grant_type: 'authorization_code',
          code: query.code,
          redirect_uri: this.redirectUri,
          code_verifier: this.deps.vault.decrypt(state.code_verifier, stateHash),
        },
      });
      const read = facts.oauth.readTokenResponse(body, now);
      const fullTarget = { ...target, ...read.target };
      const credentials = { method: 'oauth' as const, ...read.tokens };
      const check = await this.connections.crmCall(() => facts.check({ http: this.deps.http, target: fullTarget, credentials }));
      const connection = await this.connections.store(state.workspace_id, state.actor, crm, 'oauth', fullTarget, credentials, check.account, now);
      return { connection, returnTo, crm };
    } catch (err) {
      return { returnTo, crm, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * A path of this server to come back to, judged after parsing as the browser will parse it
   * (`/.//evil.example` is the path `//evil.example`, which a browser follows to another host).
   */
  private returnPath(value: string | undefined): string | null {
    if (value === undefined || value === '') return null;
    const path = this.returnPathOrNull(value);
    if (path === null) {
      throw new AppError('validation_failed', undefined, [{ path: 'returnTo', message: 'must be a path on this server starting with a single "/", such as /connections' }]);
    }
    return path;
  }

  private returnPathOrNull(value: string): string | null {
    // Browsers read a backslash as a slash: `/\evil.example` is another host to them.
    if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
    let url: URL;
    try {
      url = new URL(value, `${this.deps.publicUrl}/`);
    } catch {
      return null;
    }
    if (url.origin !== new URL(this.deps.publicUrl).origin || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return null;
    return `${url.pathname}${url.search}`;
  }
}

/** Refuses a callback in a browser that may not finish this authorization; nothing is connected. */
function assertSameBrowser(state: OAuthStateTable, browser: ReturningBrowser | undefined): void {
  if (state.session_hash !== null) {
    if (browser?.sessionHash === state.session_hash) return;
    throw new AppError(
      'forbidden',
      'This authorization was started in another browser session (or that session has ended), so nothing was connected. Sign in to crm-sync in this browser and start connecting again.',
    );
  }
  if (browser && browser.workspaceId === state.workspace_id && browser.role !== 'member') return;
  throw new AppError(
    'forbidden',
    'This authorization was started with an API key; it finishes only in a browser signed in to crm-sync as an owner or Settings Admin of that workspace, so nothing was connected. Sign in, then open the authorization link again.',
  );
}

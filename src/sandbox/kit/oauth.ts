import { createHash, randomBytes } from 'node:crypto';

/**
 * The OAuth 2 server of one fake CRM: registered apps, authorization codes (PKCE),
 * access and refresh tokens with expiry, rotation and revocation. Each CRM wraps it
 * in its own routes and response shapes (instance_url, api_domain, ...).
 */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
  clientId: string;
  /** The sandbox user the token acts as. */
  userId: string;
  scope: string;
  /** Vendor-specific facts bound to the grant (e.g. Zoho's data centre). */
  extra: Record<string, string>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  userId: string;
  scope: string;
  extra: Record<string, string>;
  expiresAt: number;
}

export type GrantError =
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_request'
  | 'unsupported_grant_type';

export type GrantResult = { ok: true; token: IssuedToken } | { ok: false; error: GrantError; description: string };

export type AccessCheck = { ok: true; token: IssuedToken } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'revoked' };

export interface OAuthServerOptions {
  accessTokenTtlMs: number;
  /** Does a refresh hand out a new refresh token and invalidate the old one? */
  rotateRefreshTokens: boolean;
  /** Prefix of generated tokens, to look like the vendor's. */
  tokenPrefix: string;
}

const CODE_TTL_MS = 10 * 60_000;

export class OAuthServer {
  private readonly apps = new Map<string, OAuthApp>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly access = new Map<string, IssuedToken>();
  private readonly refresh = new Map<string, IssuedToken>();
  private readonly revoked = new Set<string>();
  /** Every token request, so tests can count refreshes. */
  tokenRequests = 0;

  constructor(readonly options: OAuthServerOptions) {}

  registerApp(app: OAuthApp): void {
    this.apps.set(app.clientId, app);
  }

  app(clientId: string): OAuthApp | undefined {
    return this.apps.get(clientId);
  }

  authenticateClient(clientId: string | undefined, clientSecret: string | undefined): OAuthApp | undefined {
    const app = clientId ? this.apps.get(clientId) : undefined;
    return app && app.clientSecret === clientSecret ? app : undefined;
  }

  issueCode(p: Omit<PendingCode, 'expiresAt'>): string {
    const code = `${this.options.tokenPrefix}code-${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { ...p, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  exchangeCode(p: { code: string; clientId: string; redirectUri?: string; codeVerifier?: string }): GrantResult {
    this.tokenRequests++;
    const pending = this.codes.get(p.code);
    this.codes.delete(p.code); // single use, whatever the outcome
    if (!pending || pending.expiresAt < Date.now()) return fail('invalid_grant', 'authorization code is invalid or expired');
    if (pending.clientId !== p.clientId) return fail('invalid_grant', 'authorization code was issued to another client');
    if (p.redirectUri !== undefined && p.redirectUri !== pending.redirectUri)
      return fail('invalid_grant', 'redirect_uri does not match the authorization request');
    if (pending.codeChallenge) {
      if (!p.codeVerifier) return fail('invalid_request', 'code_verifier is required');
      const expected =
        pending.codeChallengeMethod === 'S256'
          ? createHash('sha256').update(p.codeVerifier).digest('base64url')
          : p.codeVerifier;
      if (expected !== pending.codeChallenge) return fail('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return { ok: true, token: this.issue(pending.clientId, pending.userId, pending.scope, pending.extra, true) };
  }

  refreshGrant(p: { refreshToken: string; clientId: string }): GrantResult {
    this.tokenRequests++;
    const prior = this.refresh.get(p.refreshToken);
    if (!prior || this.revoked.has(p.refreshToken)) return fail('invalid_grant', 'refresh token is invalid, expired or revoked');
    if (prior.clientId !== p.clientId) return fail('invalid_grant', 'refresh token was issued to another client');
    if (this.options.rotateRefreshTokens) {
      this.refresh.delete(p.refreshToken);
      return { ok: true, token: this.issue(prior.clientId, prior.userId, prior.scope, prior.extra, true) };
    }
    const token = this.issue(prior.clientId, prior.userId, prior.scope, prior.extra, false);
    token.refreshToken = p.refreshToken;
    return { ok: true, token };
  }

  clientCredentialsGrant(p: { clientId: string; userId: string; scope: string; extra?: Record<string, string> }): IssuedToken {
    this.tokenRequests++;
    return this.issue(p.clientId, p.userId, p.scope, p.extra ?? {}, false);
  }

  /** Revokes an access or refresh token, and with a refresh token every access token of its grant. */
  revoke(token: string): void {
    this.revoked.add(token);
    const grant = this.refresh.get(token);
    if (grant) for (const t of this.access.values()) if (t.refreshToken === token) this.revoked.add(t.accessToken);
  }

  /** Makes every live access token expire now (a test of refresh on 401). */
  expireAccessTokens(): void {
    for (const t of this.access.values()) t.expiresAt = Math.min(t.expiresAt, Date.now() - 1);
  }

  checkAccess(accessToken: string | undefined): AccessCheck {
    if (!accessToken) return { ok: false, reason: 'missing' };
    const token = this.access.get(accessToken);
    if (!token) return { ok: false, reason: 'invalid' };
    if (this.revoked.has(accessToken)) return { ok: false, reason: 'revoked' };
    if (token.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  reset(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.revoked.clear();
    this.tokenRequests = 0;
  }

  private issue(clientId: string, userId: string, scope: string, extra: Record<string, string>, withRefresh: boolean): IssuedToken {
    const prefix = this.options.tokenPrefix;
    const token: IssuedToken = {
      accessToken: `${prefix}at-${randomBytes(18).toString('hex')}`,
      expiresAt: Date.now() + this.options.accessTokenTtlMs,
      clientId,
      userId,
      scope,
      extra,
    };
    if (withRefresh) {
      token.refreshToken = `${prefix}rt-${randomBytes(18).toString('hex')}`;
      this.refresh.set(token.refreshToken, token);
    }
    this.access.set(token.accessToken, token);
    return token;
  }
}

function fail(error: GrantError, description: string): GrantResult {
  return { ok: false, error, description };
}

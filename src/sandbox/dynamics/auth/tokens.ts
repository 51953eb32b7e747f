import type { IssuedToken } from '../../kit/oauth.js';
import { ACCESS_TOKEN_TTL_SECONDS, APP, SEED_USERS, TENANT_ID } from '../facts.js';

/** Refresh tokens expire after 90 days without use, as Azure AD's do. */
const REFRESH_INACTIVITY_MS = 90 * 86_400_000;

/**
 * What Azure AD remembers about refresh tokens beyond the kit's OAuth server: when each
 * was issued and last used (inactivity expiry), and which were revoked by a
 * `revokeSignInSessions` call rather than simply rotated away.
 */
export class RefreshLedger {
  private readonly issued = new Map<string, { userId: string; lastUsed: number; issuedAt: number }>();
  private readonly revoked = new Set<string>();

  record(token: IssuedToken): void {
    if (token.refreshToken) this.issued.set(token.refreshToken, { userId: token.userId, lastUsed: Date.now(), issuedAt: Date.now() });
  }

  /** Why a refresh token the OAuth server refused was refused. */
  verdict(refreshToken: string): 'revoked' | 'rotated' | 'unknown' {
    if (this.revoked.has(refreshToken)) return 'revoked';
    return this.issued.has(refreshToken) ? 'rotated' : 'unknown';
  }

  inactiveSince(refreshToken: string, now = Date.now()): number | undefined {
    const entry = this.issued.get(refreshToken);
    return entry && now - entry.lastUsed > REFRESH_INACTIVITY_MS ? entry.issuedAt : undefined;
  }

  /** Every live refresh token of a user, for revocation. */
  tokensOf(userId: string): string[] {
    return [...this.issued].filter(([t, e]) => e.userId === userId && !this.revoked.has(t)).map(([t]) => t);
  }

  markRevoked(refreshToken: string): void {
    this.revoked.add(refreshToken);
  }

  reset(): void {
    this.issued.clear();
    this.revoked.clear();
  }
}

/** The resource (Dataverse instance URL) a set of v2 scopes asks for, e.g. `https://org.crm.dynamics.com`. */
export function resourceOf(scope: string): string | undefined {
  const resourceScope = scope.split(/\s+/).find((s) => s.includes('://'));
  return resourceScope ? resourceScope.slice(0, resourceScope.lastIndexOf('/')) : undefined;
}

export const sameResource = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An id_token shaped like Azure AD's (unsigned: the sandbox has no keys to publish). */
export function idToken(userId: string, issuerBase: string): string {
  const user = SEED_USERS.find((u) => u.id === userId);
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: APP.clientId,
    iss: `${issuerBase}/${TENANT_ID}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    name: user ? `${user.firstName} ${user.lastName}` : undefined,
    oid: user?.aadObjectId,
    preferred_username: user?.email,
    sub: user?.aadObjectId,
    tid: TENANT_ID,
    ver: '2.0',
  };
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64(claims)}.`;
}

/** The v2 token response: `scope`, `expires_in`, `ext_expires_in`, and a refresh token only with `offline_access`. */
export function tokenResponse(token: IssuedToken, opts: { scope?: string; includeRefresh: boolean; idToken?: string }) {
  const out: Record<string, unknown> = { token_type: 'Bearer' };
  if (opts.scope !== undefined) out.scope = opts.scope;
  out.expires_in = ACCESS_TOKEN_TTL_SECONDS;
  out.ext_expires_in = ACCESS_TOKEN_TTL_SECONDS;
  out.access_token = token.accessToken;
  if (opts.includeRefresh && token.refreshToken) out.refresh_token = token.refreshToken;
  if (opts.idToken) out.id_token = opts.idToken;
  return out;
}

/** The scopes echoed back: the resource scopes the app asked for (not openid/profile/offline_access). */
export function grantedScope(scope: string): string {
  return scope.split(/\s+/).filter((s) => s.includes('://')).join(' ');
}

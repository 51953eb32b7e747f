import { createHmac } from 'node:crypto';
import { OAuthServer, type GrantResult, type IssuedToken } from '../kit/oauth.js';
import { invalidSession } from './errors.js';
import { ADMIN_USER_ID, OAUTH_APP, ORG_ID, SEEDED_SESSION_ID, type Org } from './org.js';

/** Salesforce sessions last as long as the org's session timeout; two hours is the default. */
export const ACCESS_TOKEN_TTL_MS = 2 * 60 * 60_000;

export interface TokenError {
  status: number;
  body: { error: string; error_description: string };
}

const tokenError = (error: string, description: string, status = 400): TokenError => ({ status, body: { error, error_description: description } });

/**
 * Sessions of the fake org: OAuth 2 tokens (no refresh-token rotation, as Salesforce
 * by default) plus one fixed session id, and the token endpoint's grant logic with
 * Salesforce's response and error bodies.
 */
export class SalesforceAuth {
  readonly oauth = new OAuthServer({ accessTokenTtlMs: ACCESS_TOKEN_TTL_MS, rotateRefreshTokens: false, tokenPrefix: `${ORG_ID.slice(0, 15)}!AQ` });
  /** Tokens handed out by the token endpoint, so revoke can tell a known token from garbage. */
  private readonly issued = new Set<string>();

  constructor(private readonly org: Org) {
    this.oauth.registerApp(OAUTH_APP);
  }

  reset(): void {
    this.issued.clear();
    this.oauth.registerApp(OAUTH_APP);
  }

  /** The user behind an `Authorization: Bearer|OAuth <token>` header, or INVALID_SESSION_ID. */
  userFor(authorization: string | undefined): string {
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const userId = this.userForToken(token);
    if (!userId) throw invalidSession();
    return userId;
  }

  userForToken(token: string | undefined): string | undefined {
    if (token === SEEDED_SESSION_ID) return ADMIN_USER_ID;
    const check = this.oauth.checkAccess(token);
    if (!check.ok) return undefined;
    return this.org.users().find((u) => u.id === check.token.userId && u.active)?.id;
  }

  /** POST /services/oauth2/token, with the form (and an optional HTTP Basic client authentication). */
  token(form: Record<string, string | undefined>, basic: { id: string; secret: string } | undefined, instanceUrl: string): { status: number; body: unknown } {
    const clientId = form.client_id ?? basic?.id;
    const clientSecret = form.client_secret ?? basic?.secret;
    const app = clientId ? this.oauth.app(clientId) : undefined;
    const grant = form.grant_type;
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grant ?? '')) {
      return tokenError('unsupported_grant_type', 'grant type not supported');
    }
    if (!app) return tokenError('invalid_client_id', 'client identifier invalid');
    if (clientSecret !== undefined && clientSecret !== app.clientSecret) return tokenError('invalid_client', 'invalid client credentials');
    let result: GrantResult;
    if (grant === 'authorization_code') {
      // A public client proves itself with PKCE; a confidential one with its secret.
      if (clientSecret === undefined && !form.code_verifier) return tokenError('invalid_client', 'invalid client credentials');
      result = this.oauth.exchangeCode({ code: form.code ?? '', clientId: app.clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
      if (!result.ok) return codeFailure(result.description);
    } else if (grant === 'refresh_token') {
      result = this.oauth.refreshGrant({ refreshToken: form.refresh_token ?? '', clientId: app.clientId });
      if (!result.ok) return tokenError('invalid_grant', 'expired access/refresh token');
    } else {
      if (clientSecret === undefined) return tokenError('invalid_client', 'invalid client credentials');
      result = { ok: true, token: this.oauth.clientCredentialsGrant({ clientId: app.clientId, userId: ADMIN_USER_ID, scope: 'api' }) };
    }
    // A refresh answers without refresh_token: Salesforce keeps the one the client has.
    const body = this.tokenResponse(result.token, instanceUrl, app.clientSecret);
    if (grant === 'refresh_token') delete body.refresh_token;
    return { status: 200, body };
  }

  revoke(token: string | undefined): TokenError | undefined {
    if (!token || !this.issued.has(token)) return tokenError('unsupported_token_type', 'this token type is not supported');
    this.oauth.revoke(token);
    return undefined;
  }

  private tokenResponse(token: IssuedToken, instanceUrl: string, clientSecret: string): Record<string, string> {
    this.issued.add(token.accessToken);
    if (token.refreshToken) this.issued.add(token.refreshToken);
    const id = `${instanceUrl}/id/${ORG_ID}/${token.userId}`;
    const issuedAt = String(Date.now());
    // Salesforce signs id + issued_at with the consumer secret, so a client can check the response came from it.
    const signature = createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64');
    return {
      access_token: token.accessToken,
      ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
      signature,
      scope: token.scope || 'api refresh_token',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }
}

function codeFailure(description: string): TokenError {
  if (description.includes('code_verifier')) return tokenError('invalid_grant', 'invalid code verifier');
  if (description.includes('redirect_uri')) return tokenError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  return tokenError('invalid_grant', 'invalid authorization code');
}

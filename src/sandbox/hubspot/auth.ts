import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken, OAuthServer } from '../kit/oauth.js';
import { ADMIN, OAUTH_APP, PRIVATE_APP } from './account.js';
import { HubSpotError } from './errors.js';
import type { WriteSource } from './records.js';

/** The caller behind a bearer token. */
export interface Principal extends WriteSource {
  kind: 'oauth' | 'private_app';
  /** Rate limits are counted per app per portal. */
  rateKey: string;
}

const NOT_FOUND_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

const principals = new WeakMap<FastifyRequest, Principal>();

export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (!p) throw HubSpotError.of(401, NOT_FOUND_MESSAGE);
  return p;
}

/**
 * Checks `Authorization: Bearer` against OAuth access tokens and the private app
 * token. Keeps every issued token, so an expired one can be reported with its
 * expiry time as HubSpot does.
 */
export class BearerAuth {
  private readonly issued = new Map<string, IssuedToken>();
  /** Live refresh tokens, for their metadata endpoint and revocation. */
  readonly refreshTokens = new Map<string, IssuedToken>();

  constructor(private readonly oauth: OAuthServer) {}

  remember(token: IssuedToken): void {
    this.issued.set(token.accessToken, token);
  }

  forget(): void {
    this.issued.clear();
    this.refreshTokens.clear();
  }

  hook = async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) throw HubSpotError.of(401, NOT_FOUND_MESSAGE);
    if (token === PRIVATE_APP.accessToken) {
      principals.set(req, { kind: 'private_app', appId: String(PRIVATE_APP.appId), userId: ADMIN.userId, rateKey: `private:${PRIVATE_APP.appId}` });
      return;
    }
    const check = this.oauth.checkAccess(token);
    if (check.ok) {
      principals.set(req, { kind: 'oauth', appId: String(OAUTH_APP.appId), userId: Number(check.token.userId), rateKey: `oauth:${check.token.clientId}` });
      return;
    }
    if (check.reason === 'expired') {
      const expiredAt = this.issued.get(token)?.expiresAt ?? Date.now();
      const seconds = Math.max(0, Math.floor((Date.now() - expiredAt) / 1000));
      throw HubSpotError.of(401, `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
        category: 'EXPIRED_AUTHENTICATION',
        context: { 'expire time': [new Date(expiredAt).toISOString()] },
      });
    }
    throw HubSpotError.of(401, NOT_FOUND_MESSAGE);
  };
}

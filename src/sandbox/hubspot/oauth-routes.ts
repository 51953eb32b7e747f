import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { registerConsentPage } from '../kit/consent.js';
import type { IssuedToken, OAuthServer } from '../kit/oauth.js';
import { ADMIN, OAUTH_APP, PORTAL, SCOPES, USERS } from './account.js';
import type { BearerAuth } from './auth.js';

const ACCESS_TOKEN_TTL_S = 1800;

/** HubSpot's token endpoint errors: `{status: "BAD_...", message, correlationId}`. */
function tokenError(status: string, message: string) {
  return { status, message, correlationId: randomUUID(), requestId: randomUUID() };
}

const userOf = (token: IssuedToken) => USERS.find((u) => String(u.userId) === token.userId) ?? ADMIN;
const scopesOf = (token: IssuedToken) => (token.scope ? token.scope.split(/[ ,+]/).filter(Boolean) : SCOPES);

/**
 * HubSpot OAuth 2: the consent page (app.hubspot.com/oauth/authorize on the real
 * thing), `/oauth/v1/token` (30-minute access tokens, refresh tokens that are not
 * rotated), token metadata and refresh-token revocation.
 */
export function registerOAuthRoutes(app: FastifyInstance, oauth: OAuthServer, auth: BearerAuth): void {
  const refreshTokens = auth.refreshTokens;

  registerConsentPage(app, '/oauth/authorize', { crmName: 'HubSpot', oauth, userId: String(ADMIN.userId) });

  app.post('/oauth/v1/token', async (req, reply) => {
    const form = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    const client = oauth.app(form.client_id ?? '');
    if (!client) return reply.code(400).send(tokenError('BAD_CLIENT_ID', 'missing or unknown client id'));
    if (client.clientSecret !== form.client_secret) return reply.code(400).send(tokenError('BAD_CLIENT_SECRET', 'missing or invalid client secret'));

    let token: IssuedToken;
    if (form.grant_type === 'authorization_code') {
      const r = oauth.exchangeCode({ code: form.code ?? '', clientId: client.clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
      if (!r.ok)
        return reply.code(400).send(r.description.includes('redirect_uri') ? tokenError('BAD_REDIRECT_URI', r.description) : tokenError('BAD_AUTH_CODE', r.description));
      token = r.token;
    } else if (form.grant_type === 'refresh_token') {
      const r = oauth.refreshGrant({ refreshToken: form.refresh_token ?? '', clientId: client.clientId });
      if (!r.ok) return reply.code(400).send(tokenError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token'));
      token = r.token;
    } else if (form.grant_type === 'client_credentials') {
      token = oauth.clientCredentialsGrant({ clientId: client.clientId, userId: String(ADMIN.userId), scope: form.scope ?? '' });
      auth.remember(token);
      return { token_type: 'bearer', access_token: token.accessToken, expires_in: ACCESS_TOKEN_TTL_S, token_use: 'client_credentials', hub_id: PORTAL.portalId };
    } else {
      return reply.code(400).send(tokenError('BAD_GRANT_TYPE', 'missing or unknown grant type'));
    }
    auth.remember(token);
    if (token.refreshToken) refreshTokens.set(token.refreshToken, token);
    return {
      token_type: 'bearer',
      refresh_token: token.refreshToken,
      access_token: token.accessToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      token_use: 'access_token',
      hub_id: PORTAL.portalId,
      user_id: Number(token.userId),
      scopes: scopesOf(token),
    };
  });

  app.get('/oauth/v1/access-tokens/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const check = oauth.checkAccess(token);
    if (!check.ok) return reply.code(404).send(tokenError('NOT_FOUND', 'Access token not found or expired'));
    const t = check.token;
    return {
      token: t.accessToken,
      user: userOf(t).email,
      hub_domain: PORTAL.hubDomain,
      scopes: scopesOf(t),
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: PORTAL.portalId,
      app_id: OAUTH_APP.appId,
      expires_in: Math.max(0, Math.floor((t.expiresAt - Date.now()) / 1000)),
      user_id: Number(t.userId),
      token_type: 'access',
    };
  });

  app.get('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    const t = refreshTokens.get((req.params as { token: string }).token);
    if (!t) return reply.code(404).send(tokenError('NOT_FOUND', 'Refresh token not found'));
    return {
      token: t.refreshToken,
      user: userOf(t).email,
      hub_domain: PORTAL.hubDomain,
      scopes: scopesOf(t),
      hub_id: PORTAL.portalId,
      client_id: t.clientId,
      user_id: Number(t.userId),
      token_type: 'refresh',
    };
  });

  app.delete('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    if (!refreshTokens.has(token)) return reply.code(404).send(tokenError('NOT_FOUND', 'Refresh token not found'));
    oauth.revoke(token);
    refreshTokens.delete(token);
    return reply.code(204).send();
  });
}

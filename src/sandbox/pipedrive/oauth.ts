import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerConsentPage } from '../kit/consent.js';
import type { IssuedToken, OAuthServer } from '../kit/oauth.js';
import { requestOrigin } from '../kit/origin.js';
import { ACCESS_TOKEN_TTL_S, DEFAULT_SCOPES } from './facts.js';

/**
 * Pipedrive's OAuth server (oauth.pipedrive.com in production): the consent page,
 * the token endpoint with HTTP Basic client authentication, and revocation.
 * Refresh tokens are not rotated: a refresh answers with the same refresh token.
 */
function clientCredentials(req: FastifyRequest, form: Record<string, string>): { id?: string; secret?: string } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return { id: form.client_id, secret: form.client_secret };
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ success: false, error, error_description: description, message: description });
}

export function registerOAuthRoutes(app: FastifyInstance, oauth: OAuthServer, adminUserId: string, mountPath: string): void {
  registerConsentPage(app, '/oauth/authorize', { crmName: 'Pipedrive', oauth, userId: adminUserId });

  const tokenBody = (req: FastifyRequest, token: IssuedToken) => ({
    access_token: token.accessToken,
    token_type: 'Bearer',
    refresh_token: token.refreshToken,
    scope: token.scope || DEFAULT_SCOPES.join(','),
    expires_in: ACCESS_TOKEN_TTL_S,
    api_domain: `${requestOrigin(req)}${mountPath}`,
  });

  app.post('/oauth/token', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const client = clientCredentials(req, form);
    const app_ = oauth.authenticateClient(client.id, client.secret);
    if (!app_) return oauthError(reply, 401, 'invalid_client', 'Invalid client credentials');
    let result;
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return oauthError(reply, 400, 'invalid_request', 'code is required');
      result = oauth.exchangeCode({ code: form.code, clientId: app_.clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    } else if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthError(reply, 400, 'invalid_request', 'refresh_token is required');
      result = oauth.refreshGrant({ refreshToken: form.refresh_token, clientId: app_.clientId });
    } else {
      return oauthError(reply, 400, 'unsupported_grant_type', `grant_type ${JSON.stringify(form.grant_type ?? '')} is not supported`);
    }
    if (!result.ok) return oauthError(reply, 400, result.error, result.description);
    return reply.header('cache-control', 'no-store').send(tokenBody(req, result.token));
  });

  app.post('/oauth/revoke', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const client = clientCredentials(req, form);
    if (!oauth.authenticateClient(client.id, client.secret)) return oauthError(reply, 401, 'invalid_client', 'Invalid client credentials');
    if (!form.token) return oauthError(reply, 400, 'invalid_request', 'token is required');
    oauth.revoke(decodeURIComponent(form.token));
    return reply.send({ success: true });
  });
}

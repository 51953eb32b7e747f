import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerConsentPage } from '../kit/consent.js';
import { requestOrigin } from '../kit/origin.js';
import type { ZohoDeps } from './context.js';
import { accountsServer, apiDomain, DATA_CENTRES, DEFAULT_DC } from './data-centres.js';
import { ACCESS_TOKEN_TTL_S, ALL_SCOPES, SEEDED_REFRESH_TOKEN } from './seed.js';
import { USERS } from './state.js';

/**
 * Zoho Accounts, one per data centre: the consent page (`/oauth/v2/auth`), the
 * token endpoint (authorization_code and refresh_token; refresh tokens are not
 * rotated) and revocation. Zoho answers token errors with HTTP 200 and `{error}`.
 */
const ADMIN = USERS[0]!;

export async function registerAccounts(app: FastifyInstance, deps: ZohoDeps): Promise<void> {
  for (const dc of DATA_CENTRES.map((d) => d.location)) {
    await app.register(async (scope) => {
      // Zoho tells the app where the user's account lives: location and accounts-server on the redirect.
      scope.addHook('onSend', async (req, reply, payload) => {
        const location = reply.getHeader('location');
        if (reply.statusCode === 302 && typeof location === 'string' && location.includes('code=')) {
          const target = new URL(location);
          target.searchParams.set('location', dc);
          target.searchParams.set('accounts-server', accountsServer(baseOf(req), dc));
          reply.header('location', target.toString());
        }
        return payload;
      });
      registerConsentPage(scope, `/accounts/${dc}/oauth/v2/auth`, { crmName: 'Zoho CRM', oauth: deps.oauth, userId: ADMIN.id, extra: () => ({ dc }) });
    });

    app.post(`/accounts/${dc}/oauth/v2/token`, async (req, reply) => {
      const p = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
      const app = deps.oauth.authenticateClient(p.client_id, p.client_secret);
      if (!app) return tokenError(reply, 'invalid_client');
      const base = baseOf(req);
      if (p.grant_type === 'authorization_code') {
        if (!p.code) return tokenError(reply, 'invalid_code');
        const r = deps.oauth.exchangeCode({ code: p.code, clientId: app.clientId, redirectUri: p.redirect_uri, codeVerifier: p.code_verifier });
        if (!r.ok) return tokenError(reply, r.error === 'invalid_request' ? 'invalid_code_verifier' : 'invalid_code');
        if (r.token.extra.dc !== dc) {
          deps.oauth.revoke(r.token.refreshToken ?? r.token.accessToken);
          return tokenError(reply, 'invalid_code');
        }
        return tokenBody(base, dc, r.token.accessToken, r.token.scope, r.token.refreshToken);
      }
      if (p.grant_type === 'refresh_token') {
        if (!p.refresh_token) return tokenError(reply, 'invalid_code');
        const burst = deps.refreshBurst.take(p.refresh_token, deps.ctx.settings().rateLimitFactor);
        if (!burst.allowed)
          return reply.code(400).send({ error_description: 'You have made too many requests continuously. Please try again after some time.', error: 'Access Denied', status: 'failure' });
        if (p.refresh_token === SEEDED_REFRESH_TOKEN) {
          if (dc !== DEFAULT_DC || deps.seededRevoked.has(p.refresh_token)) return tokenError(reply, 'invalid_code');
          const t = deps.oauth.clientCredentialsGrant({ clientId: app.clientId, userId: ADMIN.id, scope: ALL_SCOPES.join(','), extra: { dc } });
          return tokenBody(base, dc, t.accessToken, t.scope);
        }
        const r = deps.oauth.refreshGrant({ refreshToken: p.refresh_token, clientId: app.clientId });
        if (!r.ok || r.token.extra.dc !== dc) return tokenError(reply, 'invalid_code');
        return tokenBody(base, dc, r.token.accessToken, r.token.scope);
      }
      return tokenError(reply, 'unsupported_grant_type');
    });

    app.post(`/accounts/${dc}/oauth/v2/token/revoke`, async (req) => {
      const p = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
      if (p.token === SEEDED_REFRESH_TOKEN) deps.seededRevoked.add(p.token);
      else if (p.token) deps.oauth.revoke(p.token);
      return { status: 'success' };
    });
  }
}

const baseOf = (req: { protocol: string; host: string }) => `${requestOrigin(req)}/sandbox/zoho`;

function tokenError(reply: FastifyReply, error: string) {
  return reply.code(200).send({ error });
}

function tokenBody(base: string, dc: string, accessToken: string, scope: string, refreshToken?: string) {
  return {
    access_token: accessToken,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    scope,
    api_domain: apiDomain(base, dc),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
  };
}

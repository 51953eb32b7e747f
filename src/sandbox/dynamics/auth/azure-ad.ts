import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerConsentPage } from '../../kit/consent.js';
import { escapeHtml, page } from '../../kit/html.js';
import type { OAuthServer } from '../../kit/oauth.js';
import { ADMIN_USER, APPLICATION_USER, ORGANIZATION_NAME, TENANT_ID } from '../facts.js';
import { AAD, type AadError } from './aad-errors.js';
import { grantedScope, idToken, resourceOf, sameResource, tokenResponse, type RefreshLedger } from './tokens.js';

export interface AzureAdOptions {
  oauth: OAuthServer;
  ledger: RefreshLedger;
  /** The Dataverse instance URL for a request (the sandbox CRM's root). */
  instanceUrl(req: FastifyRequest): string;
  /** The root of the fake login host, e.g. http://127.0.0.1:3000/sandbox/dynamics/login */
  loginBase(req: FastifyRequest): string;
}

const TENANTS = new Set([TENANT_ID, `${ORGANIZATION_NAME}.onmicrosoft.com`]);
/**
 * Azure AD's multi-tenant endpoints: `organizations` (work and school accounts) and `common`
 * sign the user in to their home tenant, which here is always the sandbox's; the tokens they
 * issue name it in the id_token's `tid`. Client credentials need a named tenant (AADSTS50059).
 */
const TENANT_ALIASES = new Set(['organizations', 'common']);

/**
 * The Microsoft identity platform (v2) for the sandbox tenant, also reached through the
 * `organizations` and `common` endpoints: the authorize page (consent), the token endpoint (authorization_code with PKCE, refresh_token with
 * rotation, client_credentials with `<instance>/.default`), and Graph's
 * `revokeSignInSessions` to revoke a user's refresh tokens.
 */
export async function registerAzureAd(app: FastifyInstance, opts: AzureAdOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      const { tenantId } = req.params as { tenantId?: string };
      if (tenantId === undefined || TENANTS.has(tenantId) || TENANT_ALIASES.has(tenantId)) return;
      const err = AAD.tenantNotFound(tenantId);
      if (req.url.includes('/token')) return reply.code(err.status).send(err.body);
      return reply.code(400).type('text/html').send(page('Sign in', `<h1>Sorry, but we’re having trouble signing you in.</h1><p>${escapeHtml(err.body.error_description)}</p>`));
    });
    const consent = { crmName: 'Microsoft Dynamics 365', oauth: opts.oauth, userId: ADMIN_USER.id };
    registerConsentPage(scope, '/login/:tenantId/oauth2/v2.0/authorize', consent);
    registerConsentPage(scope, '/login/:tenantId/oauth2/authorize', consent);
    scope.post('/login/:tenantId/oauth2/v2.0/token', (req, reply) => token(req, reply, opts));
    scope.get('/login/:tenantId/v2.0/.well-known/openid-configuration', async (req) => {
      const base = `${opts.loginBase(req)}/${TENANT_ID}`;
      return {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['plain', 'S256'],
        tenant_region_scope: 'EU',
      };
    });
  });

  app.post('/graph/v1.0/users/:userId/revokeSignInSessions', async (req, reply) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!opts.oauth.checkAccess(bearer).ok) {
      return reply.code(401).send({ error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    }
    const { userId } = req.params as { userId: string };
    const user = [ADMIN_USER, APPLICATION_USER].find((u) => u.aadObjectId === userId || u.id === userId || u.email === userId);
    const subject = user?.id ?? userId;
    for (const rt of opts.ledger.tokensOf(subject)) {
      opts.ledger.markRevoked(rt);
      opts.oauth.revoke(rt);
    }
    return { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true };
  });
}

function send(reply: FastifyReply, err: AadError) {
  return reply.code(err.status).header('cache-control', 'no-store, no-cache').send(err.body);
}

function token(req: FastifyRequest, reply: FastifyReply, opts: AzureAdOptions) {
  const form = (req.body ?? {}) as Record<string, string | undefined>;
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
  const clientId = form.client_id ?? basicId;
  const clientSecret = form.client_secret ?? basicSecret;
  const tenant = (req.params as { tenantId: string }).tenantId;
  if (!form.grant_type) return send(reply, AAD.missingParameter('grant_type'));
  if (!clientId) return send(reply, AAD.missingParameter('client_id'));
  const app = opts.oauth.app(clientId);
  if (!app) return send(reply, AAD.unknownApplication(clientId, tenant));
  if (clientSecret !== undefined && !opts.oauth.authenticateClient(clientId, clientSecret)) return send(reply, AAD.invalidSecret(clientId));
  reply.header('cache-control', 'no-store, no-cache');

  if (form.grant_type === 'client_credentials') {
    if (TENANT_ALIASES.has(tenant)) return send(reply, AAD.noTenant());
    if (clientSecret === undefined) return send(reply, AAD.missingSecret());
    if (!form.scope) return send(reply, AAD.missingParameter('scope'));
    if (!form.scope.endsWith('/.default')) return send(reply, AAD.scopeNotDefault(form.scope));
    const resource = resourceOf(form.scope)!;
    if (!sameResource(resource, opts.instanceUrl(req))) return send(reply, AAD.resourceNotFound(resource, tenant));
    const issued = opts.oauth.clientCredentialsGrant({ clientId, userId: APPLICATION_USER.id, scope: form.scope, extra: { resource } });
    return reply.send(tokenResponse(issued, { includeRefresh: false }));
  }

  if (form.grant_type === 'authorization_code') {
    if (!form.code) return send(reply, AAD.missingParameter('code'));
    if (clientSecret === undefined && !form.code_verifier) return send(reply, AAD.missingSecret());
    const result = opts.oauth.exchangeCode({ code: form.code, clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    if (!result.ok) {
      if (/redirect_uri/.test(result.description)) return send(reply, AAD.redirectMismatch());
      if (/code_verifier/.test(result.description)) return send(reply, AAD.pkceMismatch());
      return send(reply, AAD.expiredGrant());
    }
    const grant = result.token;
    grant.extra = { ...grant.extra, resource: resourceOf(grant.scope) ?? 'https://graph.microsoft.com' };
    opts.ledger.record(grant);
    const scopes = grant.scope.split(/\s+/);
    return reply.send(tokenResponse(grant, {
      scope: grantedScope(grant.scope),
      includeRefresh: scopes.includes('offline_access'),
      idToken: scopes.includes('openid') ? idToken(grant.userId, opts.loginBase(req)) : undefined,
    }));
  }

  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return send(reply, AAD.missingParameter('refresh_token'));
    const inactiveSince = opts.ledger.inactiveSince(form.refresh_token);
    if (inactiveSince !== undefined) return send(reply, AAD.inactiveRefreshToken(inactiveSince));
    const result = opts.oauth.refreshGrant({ refreshToken: form.refresh_token, clientId });
    if (!result.ok) {
      const verdict = opts.ledger.verdict(form.refresh_token);
      return send(reply, verdict === 'revoked' ? AAD.revokedGrant() : verdict === 'rotated' ? AAD.expiredGrant() : AAD.malformedGrant());
    }
    opts.ledger.record(result.token);
    return reply.send(tokenResponse(result.token, { scope: grantedScope(result.token.scope), includeRefresh: true }));
  }

  return send(reply, AAD.unsupportedGrant(form.grant_type));
}

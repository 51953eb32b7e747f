import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerConsentPage } from '../../kit/consent.js';
import type { SalesforceAuth } from '../auth.js';
import { ADMIN_USER_ID, LATEST_VERSION, ORG_ID, type Org } from '../org.js';

/**
 * The OAuth 2 endpoints on the login URL (authorize, token, revoke, userinfo) and the
 * identity URL (`/id/<org>/<user>`) that every token response points to.
 */
export function registerOAuthRoutes(app: FastifyInstance, org: Org, auth: SalesforceAuth, baseUrl: (req: FastifyRequest) => string): void {
  // Salesforce supports only S256 and does not require code_challenge_method (jsforce never sends it).
  app.addHook('preHandler', async (req) => {
    const form = req.body as Record<string, string> | undefined;
    if (req.method === 'POST' && req.url.split('?')[0]?.endsWith('/services/oauth2/authorize') && form?.code_challenge && !form.code_challenge_method) {
      form.code_challenge_method = 'S256';
    }
  });
  registerConsentPage(app, '/services/oauth2/authorize', { crmName: 'Salesforce', oauth: auth.oauth, userId: ADMIN_USER_ID });

  app.post('/services/oauth2/token', async (req, reply) => {
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    const result = auth.token(form, basicCredentials(req.headers.authorization), baseUrl(req));
    return reply.code(result.status).header('cache-control', 'no-cache, no-store').send(result.body);
  });

  const revoke = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    const token = body.token ?? (req.query as Record<string, string>).token;
    const failure = auth.revoke(token);
    if (failure) return reply.code(failure.status).send(failure.body);
    return reply.code(200).send('');
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  // userinfo and the identity URL answer a bad token with 403 Bad_OAuth_Token, not the REST API's 401.
  const userinfo = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const userId = auth.userForToken(bearer(req));
    if (!userId) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    return identityOf(org, userId, baseUrl(req), 'userinfo');
  };
  app.get('/services/oauth2/userinfo', userinfo);
  app.post('/services/oauth2/userinfo', userinfo);

  app.get('/id/:orgId/:userId', async (req, reply) => {
    const { orgId, userId } = req.params as { orgId: string; userId: string };
    const tokenUser = auth.userForToken(bearer(req) ?? (req.query as Record<string, string>).oauth_token);
    if (!tokenUser) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    if (orgId !== ORG_ID || !org.users().some((u) => u.id === userId)) return reply.code(404).type('text/plain').send('Bad_Id');
    return identityOf(org, userId, baseUrl(req), 'identity');
  });
}

function bearer(req: FastifyRequest): string | undefined {
  return /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const [id, ...rest] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  return id ? { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) } : undefined;
}

/** The identity service's user description; userinfo uses OpenID Connect names for the same facts. */
function identityOf(org: Org, userId: string, instanceUrl: string, kind: 'userinfo' | 'identity') {
  const user = org.users().find((u) => u.id === userId) as ReturnType<Org['users']>[number];
  const [first, ...last] = user.name.split(' ');
  const idUrl = `${instanceUrl}/id/${ORG_ID}/${userId}`;
  const urls = {
    enterprise: `${instanceUrl}/services/Soap/c/{version}/${ORG_ID.slice(0, 15)}`,
    rest: `${instanceUrl}/services/data/v{version}/`,
    sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
    query: `${instanceUrl}/services/data/v{version}/query/`,
    search: `${instanceUrl}/services/data/v{version}/search/`,
    profile: `${instanceUrl}/${userId}`,
  };
  const common = { user_id: userId, organization_id: ORG_ID, email: user.email, active: user.active, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 3600000, urls, is_lightning_login_user: false };
  if (kind === 'userinfo') {
    return { sub: idUrl, ...common, preferred_username: user.username, nickname: first, name: user.name, email_verified: true, given_name: first, family_name: last.join(' '), zoneinfo: 'Europe/Paris', updated_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), is_app_installed: true };
  }
  return { id: idUrl, asserted_user: true, ...common, username: user.username, nick_name: first, display_name: user.name, first_name: first, last_name: last.join(' '), status: { created_date: null, body: null }, last_modified_date: new Date().toISOString().replace('Z', '+0000'), api_version: LATEST_VERSION };
}

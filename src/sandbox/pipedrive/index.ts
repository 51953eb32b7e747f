import type { SandboxCrmFactory } from '../kit/crm.js';
import { OAuthServer } from '../kit/oauth.js';
import { guardApi } from './access.js';
import type { PipedriveApi } from './api.js';
import { errorBody, PipedriveError, unauthorizedBody } from './errors.js';
import { ACCESS_TOKEN_TTL_S, API_TOKENS, COMPANY, DEFAULT_SCOPES, OAUTH_APP } from './facts.js';
import { customFields } from './fields.js';
import { PipedriveLimits } from './limits.js';
import { registerOAuthRoutes } from './oauth.js';
import { accountRoutes } from './routes/account.js';
import { activityRoutes } from './routes/activities.js';
import { dealRoutes } from './routes/deals.js';
import { itemSearchRoutes } from './routes/item-search.js';
import { noteRoutes } from './routes/notes.js';
import { organizationRoutes } from './routes/organizations.js';
import { personRoutes } from './routes/persons.js';
import { webhookRoutes } from './routes/webhooks.js';
import { PipedriveState } from './state.js';
import { createPipedriveHub } from './webhooks.js';
import { answerTrailingSlash } from '../kit/trailing-slash.js';

const MOUNT = '/sandbox/pipedrive';

/** The fake Pipedrive: API v1 and v2 of one company, its OAuth server, limits and webhooks. */
export const createPipedriveSandbox: SandboxCrmFactory = (ctx) => {
  const state = new PipedriveState();
  const oauth = new OAuthServer({ accessTokenTtlMs: ACCESS_TOKEN_TTL_S * 1000, rotateRefreshTokens: false, tokenPrefix: `${COMPANY.id}:` });
  oauth.registerApp({ ...OAUTH_APP });
  const hub = createPipedriveHub();
  const limits = new PipedriveLimits(() => state.users.size);
  const api: PipedriveApi = { state, hub, ctx };

  return {
    id: 'pipedrive',
    oauth,
    webhooks: hub,
    routes: async (app) => {
      answerTrailingSlash(app);
      app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
        if (err instanceof PipedriveError) return reply.code(err.status).send(errorBody(err.message));
        const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
        if (status === 500) req.log.error(err);
        return reply.code(status).send(errorBody(status === 500 ? 'Internal server error' : err.message));
      });
      registerOAuthRoutes(app, oauth, '1', MOUNT);
      await app.register(async (scope) => {
        scope.addHook('onRequest', guardApi(oauth, limits, ctx));
        for (const register of [personRoutes, organizationRoutes, dealRoutes, noteRoutes, activityRoutes, accountRoutes, itemSearchRoutes, webhookRoutes]) register(scope, api);
      });
    },
    account: (baseUrl) => ({
      apiBaseUrl: baseUrl,
      apiV1: `${baseUrl}/api/v1`,
      apiV2: `${baseUrl}/api/v2`,
      companyDomain: COMPANY.domain,
      auth: ['oauth', 'api_key'],
      oauth: {
        authorizeUrl: `${baseUrl}/oauth/authorize`,
        tokenUrl: `${baseUrl}/oauth/token`,
        revokeUrl: `${baseUrl}/oauth/revoke`,
        clientId: OAUTH_APP.clientId,
        clientSecret: OAUTH_APP.clientSecret,
        scopes: DEFAULT_SCOPES,
      },
      credentials: {
        apiToken: API_TOKENS[1],
        apiTokensByUser: Object.fromEntries(state.users.all().map((u) => [u.email, API_TOKENS[Number(u.id)]])),
      },
      users: state.users.all().map((u) => ({ id: Number(u.id), email: u.email, name: u.name })),
      customFields: Object.fromEntries(
        (['person', 'organization', 'deal'] as const).map((e) => [e, customFields(state, e).map((f) => ({ key: f.key, name: f.name, field_type: f.field_type, options: f.options }))]),
      ),
    }),
    dump: () => ({
      persons: state.persons.all(),
      organizations: state.organizations.all(),
      deals: state.deals.all(),
      notes: state.notes.all(),
      activities: state.activities.all(),
      users: state.users.all(),
      customFields: state.fields.filter((f) => f.edit_flag),
      webhooks: state.webhooks.all(),
    }),
    reset: () => {
      state.reset();
      limits.reset();
    },
    failure: (status, message) => (status === 401 ? unauthorizedBody() : errorBody(message)),
  };
};

import type { FastifyError, FastifyInstance } from 'fastify';
import type { SandboxCrmFactory } from '../kit/crm.js';
import { OAuthServer } from '../kit/oauth.js';
import { WebhookHub } from '../kit/webhooks.js';
import { DEVELOPER_API_KEY, OAUTH_APP, PORTAL, PRIVATE_APP, SCOPES, USERS } from './account.js';
import { AssociationStore } from './associations.js';
import { BearerAuth } from './auth.js';
import { errorBody, HubSpotError } from './errors.js';
import { HubSpotLimits } from './limits.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { OBJECT_TYPES } from './objects.js';
import { PropertyRegistry } from './properties.js';
import { CrmRecords } from './records.js';
import { registerAssociationRoutes } from './routes/associations.js';
import { registerBatchRoutes } from './routes/batch.js';
import { registerMetadataRoutes } from './routes/metadata.js';
import { registerObjectRoutes } from './routes/objects.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerSearchRoutes } from './routes/search.js';
import { RecordStore } from './store.js';
import { AppWebhooks, signHubSpotRequest } from './webhook-events.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { answerTrailingSlash } from '../kit/trailing-slash.js';

/** The fake HubSpot (api.hubapi.com), served under /sandbox/hubspot. */
export const createHubspotSandbox: SandboxCrmFactory = (ctx) => {
  const oauth = new OAuthServer({ accessTokenTtlMs: 30 * 60_000, rotateRefreshTokens: false, tokenPrefix: 'na1-' });
  const registerApp = () => oauth.registerApp({ clientId: OAUTH_APP.clientId, clientSecret: OAUTH_APP.clientSecret, name: OAUTH_APP.name });
  registerApp();
  const hub = new WebhookHub(signHubSpotRequest);
  const appWebhooks = new AppWebhooks(hub);
  const store = new RecordStore();
  const associations = new AssociationStore();
  const properties = new PropertyRegistry((id) => USERS.some((u) => u.ownerId === id));
  const records = new CrmRecords(store, properties, associations, {
    portalId: PORTAL.portalId,
    lagMs: () => ctx.settings().searchLagMs,
    onChanges: (changes) => appWebhooks.record(changes),
  });
  const auth = new BearerAuth(oauth);
  const limits = new HubSpotLimits(ctx);

  const routes = async (app: FastifyInstance) => {
    answerTrailingSlash(app);
    app.setErrorHandler((err: FastifyError | HubSpotError, _req, reply) => {
      if (err instanceof HubSpotError) return reply.code(err.statusCode).send(err.body);
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      const message = status === 400 ? `Invalid input JSON on line 1, column 1: ${err.message}` : status === 500 ? 'internal error' : err.message;
      return reply.code(status).send(errorBody(status, message));
    });
    registerOAuthRoutes(app, oauth, auth);
    await app.register(async (crm) => {
      crm.addHook('onRequest', auth.hook);
      crm.addHook('onRequest', limits.hook);
      registerObjectRoutes(crm, records);
      registerBatchRoutes(crm, records);
      registerAssociationRoutes(crm, records);
      registerMetadataRoutes(crm, properties);
      registerPipelineRoutes(crm);
    });
    await app.register(async (search) => {
      search.addHook('onRequest', auth.hook);
      search.addHook('onRequest', limits.searchHook);
      registerSearchRoutes(search, records);
    });
    await app.register(async (webhooks) => registerWebhookRoutes(webhooks, appWebhooks));
  };

  return {
    id: 'hubspot',
    routes,
    oauth,
    webhooks: hub,
    account: (baseUrl) => ({
      apiBaseUrl: baseUrl,
      auth: ['oauth', 'api_key'],
      portalId: PORTAL.portalId,
      hubDomain: PORTAL.hubDomain,
      oauth: {
        authorizeUrl: `${baseUrl}/oauth/authorize`,
        tokenUrl: `${baseUrl}/oauth/v1/token`,
        revokeUrl: `${baseUrl}/oauth/v1/refresh-tokens/{refresh_token}`,
        clientId: OAUTH_APP.clientId,
        clientSecret: OAUTH_APP.clientSecret,
        appId: OAUTH_APP.appId,
        scopes: SCOPES,
      },
      credentials: {
        privateAppToken: PRIVATE_APP.accessToken,
        portalId: PORTAL.portalId,
        appId: OAUTH_APP.appId,
        developerApiKey: DEVELOPER_API_KEY,
        webhookSigningSecret: OAUTH_APP.clientSecret,
      },
      users: USERS.map((u) => ({ id: u.ownerId, userId: u.userId, email: u.email, name: `${u.firstName} ${u.lastName}` })),
    }),
    dump: () =>
      Object.fromEntries(
        OBJECT_TYPES.map((type) => [type, store.all(type).map((r) => ({ id: r.id, archived: r.archived, ...r.properties }))]),
      ),
    reset: () => {
      store.clear();
      associations.clear();
      properties.reset();
      limits.reset();
      auth.forget();
      appWebhooks.reset();
      registerApp();
    },
    failure: (status, message) => errorBody(status, message),
  };
};

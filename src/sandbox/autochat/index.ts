import type { SandboxCrmFactory } from '../kit/crm.js';
import { guardApi, rateWindow } from './access.js';
import { createApi } from './api.js';
import { AutoChatError, codeForStatus, errorBody } from './errors.js';
import { ACCOUNT, API_KEYS, RATE_LIMIT } from './facts.js';
import { accountRoutes } from './routes/account.js';
import { activityRoutes } from './routes/activities.js';
import { clientRoutes } from './routes/clients.js';
import { AutoChatState } from './state.js';
import { createAutoChatHub } from './webhooks.js';
import { answerTrailingSlash } from '../kit/trailing-slash.js';

/** AutoChat CRM, our own small CRM: clients, activities, users, custom fields and signed webhooks (docs/autochat-api.md). */
export const createAutochatSandbox: SandboxCrmFactory = (ctx) => {
  const state = new AutoChatState();
  const hub = createAutoChatHub();
  const window = rateWindow();
  const api = createApi(state, hub);

  return {
    id: 'autochat',
    webhooks: hub,
    routes: async (app) => {
      answerTrailingSlash(app);
      app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
        if (err instanceof AutoChatError) return reply.code(err.status).send(err.body());
        if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) return reply.code(400).send(errorBody('invalid_json', 'The request body is not valid JSON'));
        const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
        if (status === 500) req.log.error(err);
        return reply.code(status).send(errorBody(codeForStatus(status), status === 500 ? 'Something went wrong on our side' : err.message));
      });
      await app.register(async (scope) => {
        scope.addHook('onRequest', guardApi(ctx, window));
        clientRoutes(scope, api);
        activityRoutes(scope, api);
        accountRoutes(scope, api);
      });
    },
    account: (baseUrl) => ({
      apiBaseUrl: `${baseUrl}/api/v1`,
      auth: ['api_key'],
      accountId: ACCOUNT.id,
      credentials: { apiKey: API_KEYS[0]!.secret, apiKeyId: API_KEYS[0]!.id, otherApiKey: API_KEYS[1]!.secret, otherApiKeyId: API_KEYS[1]!.id },
      users: state.users.all().map((u) => ({ id: u.id, email: u.email, name: u.name })),
      rateLimit: `${RATE_LIMIT.limit} requests per minute per key`,
      docs: 'docs/autochat-api.md',
    }),
    dump: () => ({ clients: state.clients.all(), activities: state.activities.all(), users: state.users.all(), fields: state.fields.all(), webhooks: state.webhooks.all().map(({ secret: _s, ...w }) => w) }),
    reset: () => {
      state.reset();
      window.reset();
    },
    failure: (status, message) => errorBody(codeForStatus(status), message),
  };
};

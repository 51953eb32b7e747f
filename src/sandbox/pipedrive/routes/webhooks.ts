import type { FastifyInstance } from 'fastify';
import { callerOf } from '../access.js';
import { idParam, v1Route, type PipedriveApi } from '../api.js';
import { errorBody } from '../errors.js';
import { v1Time } from '../envelope.js';
import { COMPANY } from '../facts.js';
import type { WebhookRow } from '../model.js';
import { subscribe, WEBHOOK_ACTIONS, WEBHOOK_OBJECTS } from '../webhooks.js';

/** The most webhooks one user may have, as Pipedrive documents. */
const MAX_PER_USER = 40;

function view(w: WebhookRow) {
  return {
    id: Number(w.id), company_id: COMPANY.id, owner_id: w.owner_id, user_id: w.user_id, event_action: w.event_action, event_object: w.event_object,
    subscription_url: w.subscription_url, version: w.version, is_active: 1, add_time: new Date(w.createdAt).toISOString(), remove_time: null,
    type: 'general', http_auth_user: w.http_auth_user, http_auth_password: w.http_auth_password ? '******' : null, additional_data: {},
    remove_reason: null, last_delivery_time: null, last_http_status: null, admin_id: w.owner_id, last_update: v1Time(w.updatedAt),
  };
}

/** Webhook subscriptions; their 400 answers use the `errors` map, unlike the rest of the API. */
export function webhookRoutes(app: FastifyInstance, api: PipedriveApi): void {
  const { state, hub } = api;
  v1Route(app, 'GET', '/webhooks', async () => ({ status: 'ok', success: true, data: state.webhooks.all().map(view) }));
  v1Route(app, 'POST', '/webhooks', async (req, reply) => {
    const { userId } = callerOf(req);
    const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    const url = typeof b.subscription_url === 'string' ? b.subscription_url : '';
    if (!/^https?:\/\/[^\s/]+/.test(url)) errors.subscription_url = ['invalid or non-reachable URL'];
    if (typeof b.event_action !== 'string' || !WEBHOOK_ACTIONS.includes(b.event_action)) errors.event_action = [`must be one of ${WEBHOOK_ACTIONS.join(', ')}`];
    if (typeof b.event_object !== 'string' || !(b.event_object === '*' || WEBHOOK_OBJECTS.includes(b.event_object))) errors.event_object = [`must be one of ${WEBHOOK_OBJECTS.join(', ')}, *`];
    const version = b.version === undefined ? '2.0' : b.version;
    if (version !== '1.0' && version !== '2.0') errors.version = ['must be 1.0 or 2.0'];
    if (Object.keys(errors).length) return reply.code(400).send({ status: 'error', success: false, errors });
    if (state.webhooks.filter((w) => w.owner_id === userId).length >= MAX_PER_USER)
      return reply.code(400).send({ status: 'error', success: false, errors: { subscription_url: [`the limit of ${MAX_PER_USER} webhooks per user is reached`] } });
    const row = state.webhooks.insert({
      id: state.nextId('webhooks'), owner_id: userId, user_id: typeof b.user_id === 'number' ? b.user_id : userId,
      event_action: b.event_action as string, event_object: b.event_object as string, subscription_url: url, version: version as '1.0' | '2.0',
      http_auth_user: typeof b.http_auth_user === 'string' ? b.http_auth_user : null,
      http_auth_password: typeof b.http_auth_password === 'string' ? b.http_auth_password : null,
    });
    subscribe(hub, row);
    return reply.code(201).send({ status: 'ok', success: true, data: view(row) });
  });
  v1Route(app, 'DELETE', '/webhooks/:id', async (req, reply) => {
    const id = idParam(req);
    if (!state.webhooks.get(id)) return reply.code(404).send(errorBody('Webhook not found'));
    state.webhooks.delete(id);
    hub.unsubscribe(id);
    return { status: 'ok', success: true };
  });
}

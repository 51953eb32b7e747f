import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiKeyOf } from '../access.js';
import type { AutoChatApi } from '../api.js';
import { AutoChatError, notFound } from '../errors.js';
import { FIELD_TYPES, WEBHOOK_EVENTS } from '../facts.js';
import type { FieldType } from '../model.js';
import { page } from '../pagination.js';
import { BodyCheck } from '../validate.js';
import { fieldView, userView, webhookView } from '../views.js';

/** Users, custom field definitions and webhook subscriptions of the account. */
export function accountRoutes(app: FastifyInstance, api: AutoChatApi): void {
  const { state, hub } = api;

  app.get('/api/v1/users', async (req) => page(state.users.all(), req.query as Record<string, unknown>, userView));
  app.get('/api/v1/users/:id', async (req) => {
    const id = (req.params as { id: string }).id;
    const user = state.users.get(id);
    if (!user) throw notFound('user', id);
    return userView(user);
  });

  app.get('/api/v1/fields', async () => ({ data: state.fields.all().map(fieldView), next_cursor: null }));
  app.post('/api/v1/fields', async (req, reply) => {
    const c = BodyCheck.of(req.body);
    c.only(['key', 'label', 'type', 'options']);
    const key = c.string('key', { required: true, max: 40 });
    if (key && !/^[a-z][a-z0-9_]*$/.test(key)) c.fail('key', 'must start with a letter and hold only a-z, 0-9 and _');
    const label = c.string('label', { required: true, max: 100 });
    const type = c.string('type', { required: true });
    if (type && !(FIELD_TYPES as readonly string[]).includes(type)) c.fail('type', `must be one of: ${FIELD_TYPES.join(', ')}`);
    const options = c.body.options;
    if (type === 'picklist' && (!Array.isArray(options) || options.length === 0 || options.some((o) => typeof o !== 'string' || o === '')))
      c.fail('options', 'must be a non-empty array of strings for a picklist');
    if (type !== 'picklist' && options !== undefined && options !== null) c.fail('options', 'is only allowed for a picklist');
    c.done();
    if (state.fieldByKey(key!)) throw new AutoChatError(409, 'duplicate_field', `A field with key "${key}" already exists`, [{ field: 'key', message: 'is already defined' }]);
    const row = state.fields.insert({ id: state.nextId('fld'), key: key!, label: label!, type: type as FieldType, options: type === 'picklist' ? [...new Set(options as string[])] : null });
    return reply.code(201).send(fieldView(row));
  });

  app.get('/api/v1/webhooks', async () => ({ data: state.webhooks.all().map((w) => webhookView(w)), next_cursor: null }));
  app.post('/api/v1/webhooks', async (req, reply) => {
    const c = BodyCheck.of(req.body);
    c.only(['url', 'events']);
    const url = c.string('url', { required: true, max: 2000 });
    if (url && !/^https?:\/\/[^\s/]+/.test(url)) c.fail('url', 'must be an http or https URL');
    const events = c.body.events;
    if (!Array.isArray(events) || events.length === 0) c.fail('events', 'must be a non-empty array');
    else events.forEach((e, i) => { if (!(WEBHOOK_EVENTS as readonly unknown[]).includes(e)) c.fail(`events[${i}]`, `must be one of: ${WEBHOOK_EVENTS.join(', ')}`); });
    c.done();
    const row = state.webhooks.insert({ id: state.nextId('whk'), url: url!, events: [...new Set(events as string[])], secret: `whsec_${randomBytes(24).toString('hex')}`, api_key_id: apiKeyOf(req).id });
    hub.subscribe({ id: row.id, url: row.url, events: row.events, secret: row.secret });
    return reply.code(201).send(webhookView(row, true));
  });
  app.delete('/api/v1/webhooks/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!state.webhooks.delete(id)) throw notFound('webhook', id);
    hub.unsubscribe(id);
    return reply.code(204).send();
  });
}

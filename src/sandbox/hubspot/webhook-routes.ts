import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEVELOPER_API_KEY, OAUTH_APP } from './account.js';
import { HubSpotError, notFound } from './errors.js';
import { parseBody } from './validation.js';
import { EVENT_TYPES, type AppSubscription, type AppWebhooks } from './webhook-events.js';

const SettingsBody = z.object({
  targetUrl: z.url(),
  throttling: z.object({ maxConcurrentRequests: z.number().int().min(5).max(1000), period: z.string().optional() }).optional(),
});
const CreateBody = z.object({ eventType: z.string(), propertyName: z.string().optional(), active: z.boolean().optional() });
const PatchBody = z.object({ active: z.boolean() });
const BatchBody = z.object({ inputs: z.array(z.object({ id: z.number().int(), active: z.boolean() })) });

/**
 * `/webhooks/v3/{appId}/settings` and `/subscriptions`, authenticated with the
 * developer account's key (`?hapikey=`), as HubSpot's webhooks API is.
 */
export function registerWebhookRoutes(app: FastifyInstance, webhooks: AppWebhooks): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const key = (req.query as { hapikey?: string }).hapikey;
    if (key !== DEVELOPER_API_KEY)
      throw HubSpotError.of(401, 'The API key provided is invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/', {
        category: 'INVALID_AUTHENTICATION',
      });
    if ((req.params as { appId?: string }).appId !== String(OAUTH_APP.appId)) throw HubSpotError.of(404, `App ${(req.params as { appId?: string }).appId} not found`);
  });

  const now = () => new Date().toISOString();

  app.get('/webhooks/v3/:appId/settings', async () => {
    if (!webhooks.settings) throw notFound();
    return webhooks.settings;
  });

  app.put('/webhooks/v3/:appId/settings', async (req) => {
    const body = parseBody(SettingsBody, req.body);
    const at = now();
    webhooks.settings = {
      targetUrl: body.targetUrl,
      throttling: { maxConcurrentRequests: body.throttling?.maxConcurrentRequests ?? 10, period: body.throttling?.period ?? 'SECONDLY' },
      createdAt: webhooks.settings?.createdAt ?? at,
      updatedAt: at,
    };
    webhooks.setTarget(body.targetUrl);
    return webhooks.settings;
  });

  app.delete('/webhooks/v3/:appId/settings', async (_req, reply) => {
    webhooks.settings = undefined;
    webhooks.setTarget(undefined);
    return reply.code(204).send();
  });

  app.get('/webhooks/v3/:appId/subscriptions', async () => ({ results: [...webhooks.subscriptions.values()].map(publicSubscription) }));

  app.post('/webhooks/v3/:appId/subscriptions', async (req, reply) => {
    const body = parseBody(CreateBody, req.body);
    if (!EVENT_TYPES.includes(body.eventType)) throw HubSpotError.of(400, `Unsupported eventType ${body.eventType}; supported: ${EVENT_TYPES.join(', ')}`);
    if (body.eventType.endsWith('.propertyChange') && !body.propertyName)
      throw HubSpotError.of(400, 'propertyName is required for propertyChange subscriptions');
    const at = now();
    const sub: AppSubscription = { id: webhooks.newSubscriptionId(), eventType: body.eventType, active: body.active ?? false, createdAt: at, updatedAt: at };
    if (body.propertyName) sub.propertyName = body.propertyName;
    webhooks.subscriptions.set(sub.id, sub);
    return reply.code(201).send(publicSubscription(sub));
  });

  app.get('/webhooks/v3/:appId/subscriptions/:subscriptionId', async (req) => publicSubscription(subscription(webhooks, req)));

  app.patch('/webhooks/v3/:appId/subscriptions/:subscriptionId', async (req) => {
    const sub = subscription(webhooks, req);
    sub.active = parseBody(PatchBody, req.body).active;
    sub.updatedAt = now();
    return publicSubscription(sub);
  });

  app.delete('/webhooks/v3/:appId/subscriptions/:subscriptionId', async (req, reply) => {
    webhooks.subscriptions.delete(subscription(webhooks, req).id);
    return reply.code(204).send();
  });

  app.post('/webhooks/v3/:appId/subscriptions/batch/update', async (req) => {
    const startedAt = now();
    const results = parseBody(BatchBody, req.body).inputs.flatMap((input) => {
      const sub = webhooks.subscriptions.get(input.id);
      if (!sub) return [];
      sub.active = input.active;
      sub.updatedAt = now();
      return [publicSubscription(sub)];
    });
    return { status: 'COMPLETE', results, startedAt, completedAt: now() };
  });
}

function subscription(webhooks: AppWebhooks, req: FastifyRequest): AppSubscription {
  const sub = webhooks.subscriptions.get(Number((req.params as { subscriptionId: string }).subscriptionId));
  if (!sub) throw notFound();
  return sub;
}

function publicSubscription(sub: AppSubscription) {
  return { ...sub, id: String(sub.id) };
}

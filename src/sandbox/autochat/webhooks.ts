import { createHmac } from 'node:crypto';
import { WebhookHub } from '../kit/webhooks.js';
import type { AutoChatState } from './state.js';

/**
 * Deliveries are signed like this: `AutoChat-Signature: t=<unix seconds>,v1=<hex>`
 * where hex = HMAC-SHA256(secret, "<t>.<raw body>"); `AutoChat-Event-Id` repeats the
 * event's id so a receiver can drop duplicates. Each retry is signed afresh.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createAutoChatHub(): WebhookHub {
  return new WebhookHub((sub, body) => {
    const t = Math.floor(Date.now() / 1000);
    const event = JSON.parse(body) as { id: string; type: string };
    return {
      body,
      headers: {
        'autochat-signature': `t=${t},v1=${signPayload(sub.secret ?? '', t, body)}`,
        'autochat-event-id': event.id,
        'autochat-event-type': event.type,
        'user-agent': 'AutoChat-Webhooks/1.0',
      },
    };
  });
}

/** Sends one event to every subscription that wants it; `origin` names the API key that made the change. */
export function emitEvent(hub: WebhookHub, state: AutoChatState, type: string, apiKeyId: string, object: unknown, previous?: Record<string, unknown>): void {
  const event = {
    id: state.nextId('evt'),
    object: 'event',
    type,
    created_at: new Date().toISOString(),
    origin: { api_key_id: apiKeyId },
    data: previous ? { object, previous_attributes: previous } : { object },
  };
  hub.emit(type, event);
}

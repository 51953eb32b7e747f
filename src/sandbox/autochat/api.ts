import type { WebhookHub } from '../kit/webhooks.js';
import type { AutoChatState } from './state.js';
import { emitEvent } from './webhooks.js';

/** What the route modules share. */
export interface AutoChatApi {
  state: AutoChatState;
  hub: WebhookHub;
  emit(type: string, apiKeyId: string, object: unknown, previous?: Record<string, unknown>): void;
}

export function createApi(state: AutoChatState, hub: WebhookHub): AutoChatApi {
  return { state, hub, emit: (type, keyId, object, previous) => emitEvent(hub, state, type, keyId, object, previous) };
}

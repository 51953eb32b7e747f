import { createHash, createHmac } from 'node:crypto';
import { WebhookHub, type WebhookSigner } from '../kit/webhooks.js';
import { OAUTH_APP, PORTAL } from './account.js';
import type { ObjectType } from './objects.js';
import type { RecordChange } from './records.js';

/** Objects with HubSpot's classic webhook subscription types (`contact.creation`, ...). */
const WEBHOOK_OBJECTS: Partial<Record<ObjectType, string>> = { contacts: 'contact', companies: 'company', deals: 'deal' };
export const EVENT_TYPES = Object.values(WEBHOOK_OBJECTS).flatMap((o) => [`${o}.creation`, `${o}.deletion`, `${o}.propertyChange`]);

export interface AppSubscription {
  id: number;
  eventType: string;
  propertyName?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AppSettings {
  targetUrl: string;
  throttling: { maxConcurrentRequests: number; period?: string };
  createdAt: string;
  updatedAt: string;
}

/**
 * Signs as HubSpot does: v3 = base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)),
 * plus the older v1 header (hex SHA-256 of clientSecret + body).
 */
export const signHubSpotRequest: WebhookSigner = (_sub, body, url) => {
  const timestamp = String(Date.now());
  const v3 = createHmac('sha256', OAUTH_APP.clientSecret).update(`POST${url}${body}${timestamp}`).digest('base64');
  const v1 = createHash('sha256').update(OAUTH_APP.clientSecret + body).digest('hex');
  return {
    headers: {
      'X-HubSpot-Signature-v3': v3,
      'X-HubSpot-Request-Timestamp': timestamp,
      'X-HubSpot-Signature': v1,
      'X-HubSpot-Signature-Version': 'v1',
      'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon-executor',
    },
    body,
  };
};

const MAX_EVENTS_PER_REQUEST = 100;

/**
 * The app's webhook settings and subscriptions, and the turning of record changes
 * into HubSpot's batched event arrays (up to 100 events per POST to the target URL).
 * Changes made in one tick (one API call) go out together.
 */
export class AppWebhooks {
  settings: AppSettings | undefined;
  readonly subscriptions = new Map<number, AppSubscription>();
  private nextSubscriptionId = 1;
  private nextEventId = 1;
  private pending: RecordChange[] = [];

  constructor(readonly hub: WebhookHub) {}

  newSubscriptionId(): number {
    return this.nextSubscriptionId++;
  }

  /** Points the kit's single delivery target at the app's targetUrl. */
  setTarget(targetUrl: string | undefined): void {
    this.hub.unsubscribe(String(OAUTH_APP.appId));
    if (targetUrl) this.hub.subscribe({ id: String(OAUTH_APP.appId), url: targetUrl, events: [], meta: { appId: String(OAUTH_APP.appId) } });
  }

  record(changes: RecordChange[]): void {
    if (changes.length === 0) return;
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(...changes);
  }

  reset(): void {
    this.settings = undefined;
    this.subscriptions.clear();
    this.nextSubscriptionId = 1;
    this.nextEventId = 1;
    this.pending = [];
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    if (!this.settings) return;
    const events = changes.flatMap((c) => this.eventsFor(c));
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) {
      const batch = events.slice(i, i + MAX_EVENTS_PER_REQUEST);
      this.hub.emit(String(batch[0]?.subscriptionType), batch);
    }
  }

  private eventsFor(change: RecordChange): Record<string, unknown>[] {
    const object = WEBHOOK_OBJECTS[change.type];
    if (!object) return [];
    const eventType = `${object}.${change.kind}`;
    return [...this.subscriptions.values()]
      .filter((s) => s.active && s.eventType === eventType && (change.kind !== 'propertyChange' || s.propertyName === change.propertyName))
      .map((s) => ({
        eventId: this.nextEventId++,
        subscriptionId: s.id,
        portalId: PORTAL.portalId,
        appId: OAUTH_APP.appId,
        occurredAt: change.occurredAt,
        subscriptionType: eventType,
        attemptNumber: 0,
        objectId: Number(change.id),
        ...(change.kind === 'propertyChange' ? { propertyName: change.propertyName, propertyValue: change.propertyValue } : {}),
        ...(change.kind === 'creation' ? { changeFlag: 'CREATED' } : change.kind === 'deletion' ? { changeFlag: 'DELETED' } : {}),
        changeSource: 'INTEGRATION',
        sourceId: change.source.appId,
      }));
  }
}

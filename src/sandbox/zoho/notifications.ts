import type { WebhookHub, WebhookSigner, WebhookSubscription } from '../kit/webhooks.js';
import { findModule } from './metadata.js';
import type { Operation } from './writes.js';

/**
 * Zoho's notification channels (`/actions/watch`). Zoho does not sign deliveries:
 * the subscriber's own `token` travels in the JSON body and the receiver compares it.
 */
export const ZOHO_SIGNER: WebhookSigner = (_sub, body) => ({ headers: {}, body });

export interface ChannelInput {
  channel_id: string;
  events: string[];
  notify_url: string;
  token?: string;
  channel_expiry: string;
  notify_on_related_action: boolean;
  /** The API domain the channel was created on, for `resource_uri`. */
  apiDomain: string;
}

const OPERATIONS = ['create', 'edit', 'delete'] as const;
export const MAX_CHANNEL_MS = 7 * 86_400_000;
const EVENT_OF: Record<Operation, (typeof OPERATIONS)[number]> = { insert: 'create', update: 'edit', delete: 'delete' };

/** `Leads.all` stands for create, edit and delete; module names take Zoho's casing. */
export function expandEvents(events: string[]): string[] | undefined {
  const out = new Set<string>();
  for (const e of events) {
    const [name, op] = e.split('.');
    const mod = findModule(name ?? '');
    if (!mod || !op || !(op === 'all' || (OPERATIONS as readonly string[]).includes(op))) return undefined;
    for (const o of op === 'all' ? OPERATIONS : [op]) out.add(`${mod.api_name}.${o}`);
  }
  return [...out];
}

export class ZohoNotifications {
  constructor(private readonly hub: WebhookHub) {}

  save(c: ChannelInput): WebhookSubscription {
    return this.hub.subscribe({
      id: c.channel_id,
      url: c.notify_url,
      events: c.events,
      secret: c.token,
      meta: { channel_expiry: c.channel_expiry, api_domain: c.apiDomain, notify_on_related_action: String(c.notify_on_related_action) },
    });
  }

  get(channelId: string): WebhookSubscription | undefined {
    this.prune();
    return this.hub.get(channelId);
  }

  list(): WebhookSubscription[] {
    this.prune();
    return this.hub.list();
  }

  remove(channelId: string): boolean {
    return this.hub.unsubscribe(channelId);
  }

  /** One delivery per channel for a request's writes, with every id it touched. */
  emit(module: string, operation: Operation, ids: string[], affected?: Record<string, string[]>[]): void {
    this.prune();
    this.hub.emit(`${module}.${EVENT_OF[operation]}`, null, (sub) => ({
      server_time: Date.now(),
      query_params: {},
      module,
      resource_uri: `${sub.meta?.api_domain ?? ''}/crm/v8/${module}`,
      ids,
      ...(operation === 'update' ? { affected_fields: affected ?? [] } : {}),
      operation,
      channel_id: channelIdValue(sub.id),
      token: sub.secret ?? null,
    }));
  }

  /** The channel as GET /actions/watch lists it. */
  view(sub: WebhookSubscription) {
    const resources = [...new Set(sub.events.map((e) => e.split('.')[0]!))];
    const first = findModule(resources[0] ?? '');
    return {
      notify_on_related_action: sub.meta?.notify_on_related_action === 'true',
      channel_expiry: sub.meta?.channel_expiry,
      resource_uri: `${sub.meta?.api_domain ?? ''}/crm/v8/${first?.api_name ?? ''}`,
      resource_id: first?.id,
      resource_name: first?.api_name,
      channel_id: sub.id,
      events: sub.events,
      token: sub.secret ?? null,
      notify_url: sub.url,
    };
  }

  private prune(): void {
    const now = Date.now();
    for (const sub of this.hub.list()) if (Date.parse(sub.meta?.channel_expiry ?? '') <= now) this.hub.unsubscribe(sub.id);
  }
}

const channelIdValue = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : id);

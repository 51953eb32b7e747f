import { checkHost, isLoopback, resolveAll, type Resolve } from '../../net/addresses.js';
import { pinnedExchange } from '../../net/pinned.js';

/**
 * Outgoing webhooks of the fake CRMs: subscriptions, and deliveries made in the
 * background (so a write's response never waits for a receiver), signed by the
 * CRM's own signer, retried a few times, and recorded for the control API.
 *
 * The sandbox's credentials are published, so anyone may subscribe: deliveries go only to
 * loopback addresses (the resolved address, connected to as checked), never into the
 * network around the server. A refused delivery is recorded with status `refused`.
 */
export interface WebhookSubscription {
  id: string;
  url: string;
  /** Event names in the vendor's vocabulary; empty means every event. */
  events: string[];
  /** Whatever the vendor's signer needs: a secret, a token, basic-auth credentials. */
  secret?: string;
  meta?: Record<string, string>;
}

export interface WebhookDelivery {
  subscriptionId: string;
  url: string;
  event: string;
  status: number | 'network_error' | 'refused';
  attempts: number;
  at: number;
}

export interface OutgoingRequest {
  headers: Record<string, string>;
  body: string;
}

/** Produces the signed request for one delivery, as the vendor would send it. */
export type WebhookSigner = (sub: WebhookSubscription, body: string, url: string) => OutgoingRequest;

const RETRY_DELAYS_MS = [200, 1000, 5000];

export class WebhookHub {
  private readonly subs = new Map<string, WebhookSubscription>();
  readonly deliveries: WebhookDelivery[] = [];
  private seq = 1;
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly signer: WebhookSigner,
    private readonly options: { resolve?: Resolve } = {},
  ) {}

  subscribe(sub: Omit<WebhookSubscription, 'id'> & { id?: string }): WebhookSubscription {
    const full = { ...sub, id: sub.id ?? String(this.seq++) };
    this.subs.set(full.id, full);
    return full;
  }

  unsubscribe(id: string): boolean {
    return this.subs.delete(id);
  }

  list(): WebhookSubscription[] {
    return [...this.subs.values()];
  }

  get(id: string): WebhookSubscription | undefined {
    return this.subs.get(id);
  }

  /** Sends `payload` to every subscription that wants `event`; `bodyFor` may shape it per subscription. */
  emit(event: string, payload: unknown, bodyFor?: (sub: WebhookSubscription) => unknown): void {
    for (const sub of this.subs.values()) {
      if (sub.events.length > 0 && !sub.events.includes(event)) continue;
      const body = JSON.stringify(bodyFor ? bodyFor(sub) : payload);
      const p = this.deliver(sub, event, body).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Resolves when every delivery under way has finished (tests). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  reset(): void {
    this.subs.clear();
    this.deliveries.length = 0;
    this.seq = 1;
  }

  private async deliver(sub: WebhookSubscription, event: string, body: string): Promise<void> {
    let attempts = 0;
    let status: WebhookDelivery['status'] = 'network_error';
    const url = URL.canParse(sub.url) ? new URL(sub.url) : undefined;
    const addresses = url && /^https?:$/.test(url.protocol) ? await checkHost(url.hostname, this.options.resolve ?? resolveAll, isLoopback) : undefined;
    if (!url || !addresses || addresses.problem !== undefined) status = 'refused';
    else
      for (const delay of [0, ...RETRY_DELAYS_MS]) {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        attempts++;
        try {
          const req = this.signer(sub, body, sub.url);
          const res = await pinnedExchange(url, addresses.addresses, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...req.headers },
            body: req.body,
            signal: AbortSignal.timeout(10_000),
          });
          status = res.status;
          // Retried like a vendor retries: on a server error or a rate limit; a redirect is not followed.
          if (res.status < 500 && res.status !== 429) break;
        } catch {
          status = 'network_error';
        }
      }
    this.deliveries.push({ subscriptionId: sub.id, url: sub.url, event, status, attempts, at: Date.now() });
  }
}

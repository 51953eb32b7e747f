import { CRM_NAMES, type CrmId } from '../../domain/crm.js';
import { CrmError } from '../errors.js';
import { rateLimits, type RateLimitFacts } from './limits.js';

const DAY_MS = 86_400_000;
/**
 * Share of the vendor's window we use. The rest absorbs the difference between when we count
 * a call (sent) and when the vendor does (arrived), and a few calls made by others.
 */
const DEFAULT_SHARE = 0.9;

/**
 * Where a connection's calls per UTC day are counted. Every process that syncs the connection
 * must spend from the same count (the database), so this layer only sees the interface.
 */
export interface DailyQuota {
  /** Spends `calls` of the day's allocation; the new total, or undefined when they would pass `limit`. */
  spend(p: { connectionId: string; day: string; calls: number; limit: number }): Promise<number | undefined>;
}

export interface RateBudgetOptions {
  crm: CrmId;
  connectionId: string;
  /** Where the daily quota is counted. */
  quota: DailyQuota;
  /** Replaces the vendor's window (a plan with other numbers, or a test); null for none. Replaced windows are not re-learned from headers. */
  window?: { limit: number; windowMs: number } | null;
  share?: number;
  concurrency?: number | null;
  /** Calls per UTC day counted in the database; null for none. Default: the vendor's allocation unless it is in tokens. */
  dailyLimit?: number | null;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The calls one CRM connection may make: a sliding window kept under the vendor's limit (callers
 * wait for a slot), a cap on calls in flight, and the daily allocation counted in the database,
 * which fails fast once used up so the engine can pause the connection until the reset.
 * What the vendor's headers say (a lower limit, little left, the daily remainder) overrides what
 * we assumed: other apps may spend from the same allocation.
 */
export class RateBudget {
  readonly crm: CrmId;
  readonly connectionId: string;
  private readonly facts: RateLimitFacts;
  private readonly quota: DailyQuota;
  private readonly share: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private window: { limit: number; windowMs: number } | undefined;
  private readonly learnsWindow: boolean;
  /** Send times of the calls still inside the window, oldest first. */
  private readonly sent: number[] = [];
  /** Endpoints with a limit of their own, each with its own send times. */
  private readonly lanes: { matches: (url: string) => boolean; limit: number; windowMs: number; sent: number[] }[];
  private pausedUntil = 0;
  private readonly concurrency: number | undefined;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private dailyLimit: number | undefined;
  private readonly learnsDaily: boolean;
  private dailyUsedUpUntil = 0;

  constructor(o: RateBudgetOptions) {
    this.crm = o.crm;
    this.connectionId = o.connectionId;
    this.facts = rateLimits[o.crm];
    this.quota = o.quota;
    this.share = o.share ?? DEFAULT_SHARE;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.learnsWindow = o.window === undefined;
    this.window = o.window === undefined ? this.facts.window : (o.window ?? undefined);
    // A test or plan that replaces the window replaces the lanes too.
    this.lanes = o.window === undefined ? (this.facts.lanes ?? []).map((l) => ({ ...l, sent: [] })) : [];
    this.concurrency = o.concurrency === undefined ? this.facts.concurrency : (o.concurrency ?? undefined);
    const daily = this.facts.daily;
    this.learnsDaily = o.dailyLimit === undefined;
    this.dailyLimit = o.dailyLimit === undefined ? (daily && daily.unit !== 'tokens' ? daily.limit : undefined) : (o.dailyLimit ?? undefined);
  }

  /**
   * Waits for a slot, spends one call of the daily quota and returns the function that ends
   * the call. Throws the daily-limit CrmError at once when the day's allocation is used up.
   * `url` puts the call in its endpoint's lane as well, where the vendor limits one apart.
   */
  async take(url?: string): Promise<() => void> {
    this.failIfDailyUsedUp();
    await this.enter();
    try {
      const lane = url === undefined ? undefined : this.lanes.find((l) => l.matches(url));
      const sentAt = await this.waitForWindow(lane);
      try {
        await this.spendDaily();
      } catch (err) {
        this.sent.splice(this.sent.lastIndexOf(sentAt), 1);
        lane?.sent.splice(lane.sent.lastIndexOf(sentAt), 1);
        throw err;
      }
    } catch (err) {
      this.leave();
      throw err;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.leave();
    };
  }

  /** Learns from a response's rate-limit headers. */
  observe(headers: Headers): void {
    const r = this.facts.read(headers);
    const now = this.now();
    if (this.learnsWindow && this.window && r.limit !== undefined && r.limit > 0) {
      this.window = { limit: r.limit, windowMs: r.windowMs ?? this.window.windowMs };
    }
    if (r.remaining !== undefined) {
      const limit = r.limit ?? this.window?.limit;
      // A single client never gets this low (it stops at `share`); someone else spends from the window too.
      const lowWater = limit ? Math.max(1, Math.floor((limit * (1 - this.share)) / 2)) : 1;
      if (r.remaining <= lowWater) this.pauseFor(r.resetInMs ?? this.untilOldestLeaves(now), now);
    }
    if (this.learnsDaily && r.dailyLimit !== undefined && this.facts.daily?.unit === 'calls') this.dailyLimit = r.dailyLimit;
    if (r.dailyRemaining !== undefined && r.dailyRemaining <= 0) this.dailyUsedUpUntil = nextUtcMidnight(now);
  }

  /** Nobody calls before `ms` from now (after a 429). */
  pauseFor(ms: number, now = this.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  private failIfDailyUsedUp(): void {
    const now = this.now();
    if (this.dailyUsedUpUntil > now) throw this.dailyUsedUp(now);
  }

  private dailyUsedUp(now: number): CrmError {
    const resetAt = this.dailyUsedUpUntil;
    const limit = this.dailyLimit ?? this.facts.daily?.limit;
    const unit = this.facts.daily?.unit === 'tokens' ? 'tokens' : 'calls';
    const what = limit === undefined ? '' : ` (${limit.toLocaleString('en-US')} ${unit})`;
    const at = `${new Date(resetAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return new CrmError('rate_limited', `${CRM_NAMES[this.crm]}'s daily API limit${what} is used up; syncing resumes at ${at}`, {
      retryAfterMs: resetAt - now,
    });
  }

  private async spendDaily(): Promise<void> {
    if (this.dailyLimit === undefined) return;
    const now = this.now();
    const used = await this.quota.spend({ connectionId: this.connectionId, day: utcDay(now), calls: 1, limit: this.dailyLimit });
    if (used === undefined) {
      this.dailyUsedUpUntil = nextUtcMidnight(now);
      throw this.dailyUsedUp(now);
    }
  }

  private async waitForWindow(lane?: (typeof this.lanes)[number]): Promise<number> {
    for (;;) {
      const now = this.now();
      let wait = Math.max(this.pausedUntil - now, this.window ? this.slidingWait(this.sent, this.window, now) : 0);
      if (lane) wait = Math.max(wait, this.slidingWait(lane.sent, lane, now));
      if (wait <= 0) {
        this.sent.push(now);
        lane?.sent.push(now);
        return now;
      }
      await this.sleep(wait);
    }
  }

  /** How long until one more call fits in this window: `sent` loses the calls that left it. */
  private slidingWait(sent: number[], { limit, windowMs }: { limit: number; windowMs: number }, now: number): number {
    while (sent.length > 0 && sent[0]! <= now - windowMs) sent.shift();
    const allowed = Math.max(1, Math.floor(limit * this.share));
    return sent.length >= allowed ? sent[sent.length - allowed]! + windowMs - now : 0;
  }

  /** In a rolling window without a reset time, room comes back when our oldest call leaves it. */
  private untilOldestLeaves(now: number): number {
    const windowMs = this.window?.windowMs ?? 1000;
    return this.sent.length > 0 ? Math.max(0, this.sent[0]! + windowMs - now) : windowMs;
  }

  private async enter(): Promise<void> {
    if (this.concurrency === undefined) return;
    if (this.inFlight < this.concurrency) {
      this.inFlight++;
      return;
    }
    // leave() hands its slot straight to the next waiter.
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private leave(): void {
    if (this.concurrency === undefined) return;
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/** UTC yyyy-mm-dd: the key of a day's quota. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function nextUtcMidnight(at: number): number {
  return at - (at % DAY_MS) + DAY_MS;
}

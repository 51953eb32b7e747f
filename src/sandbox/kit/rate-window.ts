/**
 * Fixed-window call counters, the way the vendors count: N calls per window per key
 * (an app, a token, a company). `limit` is scaled by the sandbox's rateLimitFactor;
 * a factor of 0 means unlimited.
 */
export interface WindowVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the current window ends. */
  resetInMs: number;
}

export class RateWindow {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, factor: number, now = Date.now()): WindowVerdict {
    const limit = factor === 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(this.limit * factor));
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= this.windowMs) {
      w = { startedAt: this.alignedStart(now), count: 0 };
      this.windows.set(key, w);
    }
    const resetInMs = Math.max(0, w.startedAt + this.windowMs - now);
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetInMs };
    w.count++;
    return { allowed: true, limit, remaining: Number.isFinite(limit) ? limit - w.count : limit, resetInMs };
  }

  /** Daily windows start at UTC midnight, as the vendors' daily quotas do; short ones at the first call. */
  private alignedStart(now: number): number {
    return this.windowMs >= 86_400_000 ? now - (now % 86_400_000) : now;
  }

  reset(): void {
    this.windows.clear();
  }
}

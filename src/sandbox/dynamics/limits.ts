/**
 * Dataverse service protection limits, per user over a 5-minute sliding window:
 * 6,000 requests and 1,200,000 ms of combined execution time (both scaled by the
 * sandbox's rateLimitFactor; 0 turns them off).
 */
export const REQUEST_LIMIT = 6000;
export const EXECUTION_LIMIT_MS = 1_200_000;
export const WINDOW_MS = 300_000;

export interface ProtectionVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the oldest request in the window leaves it. */
  retryAfterSeconds: number;
  executionRemainingMs: number;
}

interface Call {
  at: number;
  ms: number;
}

export class ServiceProtection {
  private readonly calls = new Map<string, Call[]>();

  take(userId: string, factor: number, now = Date.now()): { verdict: ProtectionVerdict; call?: Call } {
    const window = this.window(userId, now);
    const limit = factor === 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(REQUEST_LIMIT * factor));
    const budget = factor === 0 ? Number.POSITIVE_INFINITY : EXECUTION_LIMIT_MS * factor;
    const used = window.reduce((n, c) => n + c.ms, 0);
    const retryAfterSeconds = window.length ? Math.max(1, Math.ceil((window[0]!.at + WINDOW_MS - now) / 1000)) : 1;
    if (window.length >= limit) {
      return { verdict: { allowed: false, limit, remaining: 0, retryAfterSeconds, executionRemainingMs: Math.max(0, budget - used) } };
    }
    const call = { at: now, ms: 0 };
    window.push(call);
    return {
      verdict: { allowed: true, limit, remaining: limit - window.length, retryAfterSeconds, executionRemainingMs: Math.max(0, budget - used) },
      call,
    };
  }

  reset(): void {
    this.calls.clear();
  }

  private window(userId: string, now: number): Call[] {
    const all = this.calls.get(userId) ?? [];
    const live = all.filter((c) => now - c.at < WINDOW_MS);
    this.calls.set(userId, live);
    return live;
  }
}

/** `1,199,876.00`: how Dataverse prints the remaining execution time. */
export const formatMs = (ms: number) =>
  Number.isFinite(ms) ? ms.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '1,200,000.00';

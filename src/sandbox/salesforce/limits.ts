import { RateWindow } from '../kit/rate-window.js';
import { restError } from './errors.js';

/** A Developer/Enterprise-style org's allocation of REST calls per rolling day, reported in Sforce-Limit-Info. */
export const DAILY_API_REQUESTS = 100_000;
const DAY_MS = 86_400_000;

export interface UsageVerdict {
  allowed: boolean;
  used: number;
  max: number;
}

/**
 * Counts API calls against the daily allocation, scaled by the sandbox's
 * rateLimitFactor (0 turns the limit off but calls are still counted and reported).
 */
export class ApiUsage {
  private readonly window = new RateWindow(DAILY_API_REQUESTS, DAY_MS);
  private used = 0;
  private day = 0;

  take(factor: number, now = Date.now()): UsageVerdict {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    const verdict = this.window.take('org', factor, now);
    const max = Number.isFinite(verdict.limit) ? verdict.limit : DAILY_API_REQUESTS;
    if (verdict.allowed) this.used++;
    return { allowed: verdict.allowed, used: verdict.allowed ? this.used : max, max };
  }

  /** The current state without counting a call (the /limits resource). */
  peek(factor: number): { used: number; max: number } {
    const max = factor === 0 ? DAILY_API_REQUESTS : Math.max(1, Math.floor(DAILY_API_REQUESTS * factor));
    return { used: this.used, max };
  }

  reset(): void {
    this.window.reset();
    this.used = 0;
  }
}

export const limitHeader = (v: { used: number; max: number }) => `api-usage=${v.used}/${v.max}`;

export const requestLimitExceeded = () => restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

import { RateWindow } from '../kit/rate-window.js';
import { BURST_PER_2S, BURST_WINDOW_MS, DAILY_BASE_TOKENS, PLAN_MULTIPLIER } from './facts.js';

const DAY_MS = 86_400_000;

export interface LimitVerdict {
  allowed: boolean;
  /** Which limit refused the request. */
  refusedBy?: 'burst' | 'daily';
  headers: Record<string, string>;
  retryAfterS?: number;
}

/**
 * Pipedrive's two limits: a per-user burst window of 2 seconds, and a daily token
 * budget shared by the whole company that requests spend by their cost. Both
 * scale with the sandbox's rateLimitFactor (0 turns them off).
 */
export class PipedriveLimits {
  private readonly burst = new RateWindow(BURST_PER_2S, BURST_WINDOW_MS);
  private day = { start: 0, spent: 0 };

  constructor(private readonly seats: () => number) {}

  take(userId: number, cost: number, factor: number, now = Date.now()): LimitVerdict {
    if (factor === 0) return { allowed: true, headers: {} };
    const budget = Math.max(1, Math.floor(DAILY_BASE_TOKENS * PLAN_MULTIPLIER * this.seats() * factor));
    const dayStart = now - (now % DAY_MS);
    if (this.day.start !== dayStart) this.day = { start: dayStart, spent: 0 };
    const burst = this.burst.take(String(userId), factor, now);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(burst.limit),
      'x-ratelimit-remaining': String(burst.remaining),
      'x-ratelimit-reset': String(Math.max(1, Math.ceil(burst.resetInMs / 1000))),
    };
    if (!burst.allowed) {
      headers['x-daily-ratelimit-token-remaining'] = String(budget - this.day.spent);
      return { allowed: false, refusedBy: 'burst', headers, retryAfterS: Math.max(1, Math.ceil(burst.resetInMs / 1000)) };
    }
    if (this.day.spent + cost > budget) {
      headers['x-daily-ratelimit-token-remaining'] = String(Math.max(0, budget - this.day.spent));
      return { allowed: false, refusedBy: 'daily', headers, retryAfterS: Math.ceil((dayStart + DAY_MS - now) / 1000) };
    }
    this.day.spent += cost;
    headers['x-daily-ratelimit-token-remaining'] = String(budget - this.day.spent);
    return { allowed: true, headers };
  }

  reset(): void {
    this.burst.reset();
    this.day = { start: 0, spent: 0 };
  }
}

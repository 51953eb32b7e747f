/**
 * Zoho's API limits: a credit budget per org over 24 hours (each call costs credits
 * by kind) and a cap on concurrent calls. The seeded org is Enterprise with 3 user
 * licences: 50,000 + 3 x 1,000 credits, and 20 concurrent calls. Both scale with
 * the sandbox's rateLimitFactor (0 turns them off). Could move to the kit as a
 * weighted RateWindow.
 */
export const DAILY_CREDITS = 50_000 + 3 * 1_000;
export const CONCURRENCY = 20;
const DAY_MS = 86_400_000;

export interface CreditVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
}

export class ZohoLimits {
  private window = { startedAt: 0, spent: 0 };
  private inFlight = 0;

  /** Charges `cost` credits; refuses (charging nothing) when the budget would be exceeded. */
  spend(cost: number, factor: number, now = Date.now()): CreditVerdict {
    if (factor === 0) return { allowed: true, limit: Number.POSITIVE_INFINITY, remaining: Number.POSITIVE_INFINITY };
    const limit = Math.max(1, Math.floor(DAILY_CREDITS * factor));
    if (now - this.window.startedAt >= DAY_MS) this.window = { startedAt: now, spent: 0 };
    if (this.window.spent + cost > limit) return { allowed: false, limit, remaining: limit - this.window.spent };
    this.window.spent += cost;
    return { allowed: true, limit, remaining: limit - this.window.spent };
  }

  /** Takes a concurrency slot; false when the org already has its maximum of calls in flight. */
  enter(factor: number): boolean {
    const limit = factor === 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(CONCURRENCY * factor));
    if (this.inFlight >= limit) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  reset(): void {
    this.window = { startedAt: 0, spent: 0 };
    this.inFlight = 0;
  }
}

/** Credits per call, after Zoho's table: writes 1 per 10 records, COQL by LIMIT, everything else 1. */
export function writeCredits(records: number): number {
  return Math.max(1, Math.ceil(records / 10));
}

export function coqlCredits(limit: number): number {
  return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCrmContext } from '../kit/crm.js';
import { RateWindow } from '../kit/rate-window.js';
import { principalOf } from './auth.js';
import { errorBody } from './errors.js';

/** HubSpot's numbers (Free/Starter): 100 calls per 10 s per app per portal, 250,000 a day for private apps, search 5/s. */
export const BURST_LIMIT = 100;
export const BURST_WINDOW_MS = 10_000;
export const DAILY_LIMIT = 250_000;
export const SEARCH_PER_SECOND = 5;

function rateLimited(message: string, policyName: string) {
  return errorBody(429, message, { errorType: 'RATE_LIMIT', policyName });
}

/**
 * Counts calls and answers 429 the way HubSpot does. OAuth calls report only the
 * 10-second window (HubSpot sends no daily headers for them); private apps also
 * get the daily and secondly headers.
 */
export class HubSpotLimits {
  private readonly burst = new RateWindow(BURST_LIMIT, BURST_WINDOW_MS);
  private readonly daily = new RateWindow(DAILY_LIMIT, 86_400_000);
  private readonly secondly = new RateWindow(BURST_LIMIT / 10, 1000);
  private readonly search = new RateWindow(SEARCH_PER_SECOND, 1000);

  constructor(private readonly ctx: SandboxCrmContext) {}

  reset(): void {
    for (const w of [this.burst, this.daily, this.secondly, this.search]) w.reset();
  }

  /** onRequest hook for the CRM routes, after authentication. */
  hook = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const factor = this.ctx.settings().rateLimitFactor;
    if (factor === 0) return;
    const p = principalOf(req);
    if (p.kind === 'private_app') {
      const day = this.daily.take(p.rateKey, factor);
      reply.header('X-HubSpot-RateLimit-Daily', day.limit).header('X-HubSpot-RateLimit-Daily-Remaining', day.remaining);
      if (!day.allowed) return reply.code(429).send(rateLimited('You have reached your daily limit.', 'DAILY'));
    }
    const window = this.burst.take(p.rateKey, factor);
    this.intervalHeaders(reply, window, factor);
    if (p.kind === 'private_app') {
      const second = this.secondly.take(p.rateKey, factor);
      reply.header('X-HubSpot-RateLimit-Secondly', second.limit).header('X-HubSpot-RateLimit-Secondly-Remaining', second.remaining);
    }
    if (!window.allowed) return reply.code(429).send(rateLimited('You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING'));
  };

  /** The search endpoints' own limit (5 per second per account); HubSpot sends no rate-limit headers with them. */
  searchHook = async (_req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const factor = this.ctx.settings().rateLimitFactor;
    if (factor === 0) return;
    if (!this.search.take('portal', factor).allowed) return reply.code(429).send(rateLimited('You have reached your secondly limit.', 'SECONDLY'));
  };

  private intervalHeaders(reply: FastifyReply, w: { remaining: number }, factor: number): void {
    reply
      .header('X-HubSpot-RateLimit-Interval-Milliseconds', BURST_WINDOW_MS)
      .header('X-HubSpot-RateLimit-Max', Math.max(1, Math.floor(BURST_LIMIT * factor)))
      .header('X-HubSpot-RateLimit-Remaining', Number.isFinite(w.remaining) ? w.remaining : 0);
  }
}

import type { CrmId } from '../../domain/crm.js';

/** What one response's headers say about the connection's limits. Absent = the vendor did not say. */
export interface RateLimitReading {
  /** Calls left in the current window. */
  remaining?: number;
  /** The window's limit as the vendor reports it (it can differ from the documented one per plan). */
  limit?: number;
  /** Milliseconds until the window resets. */
  resetInMs?: number;
  /** The window's length, when the vendor reports it. */
  windowMs?: number;
  /** What is left of the daily allocation, in the vendor's unit (calls, tokens). */
  dailyRemaining?: number;
  dailyLimit?: number;
}

/**
 * One CRM's limits as documented for the plan the sandbox models. `window` is the per-window
 * call limit; `daily` the allocation that resets at UTC midnight, in the vendor's unit
 * (`calls` and `credits` are counted per call in our database; `tokens` have per-endpoint
 * costs, so only the vendor's header can say what is left).
 */
export interface RateLimitFacts {
  window?: { limit: number; windowMs: number; per: string };
  /**
   * Endpoints with a limit of their own, kept on top of `window` (HubSpot's search: 5/s, and
   * its answers carry no rate-limit headers to learn from).
   */
  lanes?: { name: string; matches: (url: string) => boolean; limit: number; windowMs: number; per: string }[];
  /** Calls in flight at once. */
  concurrency?: number;
  daily?: { limit: number; unit: 'calls' | 'credits' | 'tokens'; per: string };
  read(headers: Headers): RateLimitReading;
  /** Where the numbers come from. */
  source: string;
}

function num(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const seconds = (s: number | undefined) => (s === undefined ? undefined : s * 1000);
/** For vendors that report no limits in their headers. */
const nothing = (_headers: Headers): RateLimitReading => ({});

/** IETF RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers): reset in seconds. */
function readIetf(h: Headers): RateLimitReading {
  return { limit: num(h, 'ratelimit-limit'), remaining: num(h, 'ratelimit-remaining'), resetInMs: seconds(num(h, 'ratelimit-reset')) };
}

/** Sforce-Limit-Info: api-usage=<used>/<max> (calls in the last 24 hours, org-wide). */
function readSalesforce(h: Headers): RateLimitReading {
  const m = /api-usage=(\d+)\/(\d+)/.exec(h.get('sforce-limit-info') ?? '');
  if (!m) return {};
  const used = Number(m[1]);
  const max = Number(m[2]);
  return { dailyLimit: max, dailyRemaining: Math.max(0, max - used) };
}

export const rateLimits = {
  hubspot: {
    // Free/Starter (Professional 190, Enterprise 190 per 10 s with 650,000 / 1,000,000 a day).
    window: { limit: 100, windowMs: 10_000, per: 'app per account' },
    lanes: [{ name: 'search', matches: (url) => /\/crm\/v3\/objects\/[^/]+\/search$/.test(new URL(url).pathname), limit: 5, windowMs: 1_000, per: 'token (CRM search endpoints)' }],
    daily: { limit: 250_000, unit: 'calls', per: 'account (private apps; OAuth apps get no daily header)' },
    // HubSpot sends no reset time: the window rolls.
    read: (h) => ({
      limit: num(h, 'x-hubspot-ratelimit-max'),
      windowMs: num(h, 'x-hubspot-ratelimit-interval-milliseconds'),
      remaining: num(h, 'x-hubspot-ratelimit-remaining'),
      dailyLimit: num(h, 'x-hubspot-ratelimit-daily'),
      dailyRemaining: num(h, 'x-hubspot-ratelimit-daily-remaining'),
    }),
    source: 'developers.hubspot.com/docs/guides/apps/api-usage/usage-details; docs/sandbox/hubspot.md',
  },
  salesforce: {
    daily: { limit: 100_000, unit: 'calls', per: 'org, rolling 24 hours (Enterprise Edition base allocation)' },
    read: readSalesforce,
    source: 'Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits and Allocations"; docs/sandbox/salesforce.md',
  },
  pipedrive: {
    window: { limit: 80, windowMs: 2_000, per: 'user (burst limit, Professional plan)' },
    // 30,000 base tokens x plan multiplier 2 x 3 seats, as seeded in the sandbox; per-endpoint costs 2..40.
    daily: { limit: 180_000, unit: 'tokens', per: 'company' },
    read: (h) => ({
      limit: num(h, 'x-ratelimit-limit'),
      remaining: num(h, 'x-ratelimit-remaining'),
      resetInMs: seconds(num(h, 'x-ratelimit-reset')),
      dailyRemaining: num(h, 'x-daily-ratelimit-token-remaining'),
    }),
    source: 'pipedrive.readme.io/docs/core-api-concepts-rate-limiting (token-based limits); docs/sandbox/pipedrive.md',
  },
  zoho: {
    // Enterprise: 20 concurrent calls; 50,000 credits + 1,000 per licence (3 licences) per day; no headers report either.
    concurrency: 20,
    daily: { limit: 53_000, unit: 'credits', per: 'org' },
    read: nothing,
    source: 'zoho.com/crm/developer/docs/api/v8/api-limits.html; docs/sandbox/zoho.md',
  },
  odoo: {
    read: nothing,
    source: 'Odoo has no per-request API limit; docs/sandbox/odoo.md',
  },
  dynamics: {
    // Dataverse service protection: 6,000 requests and 20 minutes of execution time per user per 5-minute sliding window, 52 concurrent.
    window: { limit: 6_000, windowMs: 300_000, per: 'user' },
    concurrency: 52,
    read: (h) => ({ remaining: num(h, 'x-ms-ratelimit-burst-remaining-xrm-requests') }),
    source: 'learn.microsoft.com/power-apps/developer/data-platform/api-limits; docs/sandbox/dynamics.md',
  },
  autochat: {
    window: { limit: 120, windowMs: 60_000, per: 'API key' },
    read: readIetf,
    source: 'docs/sandbox/autochat.md (our own API)',
  },
} satisfies Record<CrmId, RateLimitFacts>;

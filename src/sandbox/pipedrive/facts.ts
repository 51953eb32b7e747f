/**
 * Pipedrive's facts as the fake serves them: the seeded company, its credentials,
 * and the numbers of the token-based rate limits (developers.pipedrive.com,
 * "Rate limiting", 2025).
 */
export const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export const COMPANY = { id: 13_482_117, name: 'Sandbox Inc', domain: 'sandbox-inc' } as const;

/** Personal API tokens are 40 hex characters, one per user. */
export const API_TOKENS: Record<number, string> = {
  1: '5f3c9e0d1a2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d',
  2: '7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d',
  3: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
};

export const OAUTH_APP = {
  clientId: 'c8a5f2e1b9d74e30',
  clientSecret: 'pd-sandbox-client-secret-9f1e2d3c4b5a',
  name: 'crm-sync (sandbox)',
};

/** What an app gets when the authorize request names no scope: the scopes it was registered with. */
export const DEFAULT_SCOPES = ['base', 'deals:full', 'contacts:full', 'activities:full', 'users:read', 'search:read', 'admin'];

/** Access tokens live an hour; Pipedrive reports expires_in 3599. */
export const ACCESS_TOKEN_TTL_S = 3599;

/**
 * Token-based limits. The company's daily budget is 30,000 base tokens x the plan
 * multiplier x seats (Growth/Advanced: x2, three seats here); every request costs
 * tokens by kind, v2 endpoints about half of v1. The burst limit is per user, per
 * 2-second window.
 */
export const DAILY_BASE_TOKENS = 30_000;
export const PLAN_MULTIPLIER = 2;
export const BURST_PER_2S = 80;
export const BURST_WINDOW_MS = 2_000;

export type RequestKind = 'get' | 'list' | 'write' | 'delete' | 'search';
const COSTS: Record<RequestKind, number> = { get: 2, list: 20, write: 10, delete: 6, search: 40 };

export function tokenCost(kind: RequestKind, apiVersion: 1 | 2): number {
  return apiVersion === 2 ? Math.max(1, COSTS[kind] / 2) : COSTS[kind];
}

/** One pipeline with the stages of Pipedrive's default sales pipeline. */
export const PIPELINE = { id: 1, name: 'Pipeline' };
export const STAGES = [
  { id: 1, name: 'Qualified', order_nr: 1, deal_probability: 100 },
  { id: 2, name: 'Contact Made', order_nr: 2, deal_probability: 100 },
  { id: 3, name: 'Demo Scheduled', order_nr: 3, deal_probability: 100 },
  { id: 4, name: 'Proposal Made', order_nr: 4, deal_probability: 100 },
  { id: 5, name: 'Negotiations Started', order_nr: 5, deal_probability: 100 },
];

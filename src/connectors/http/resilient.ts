import { CRM_NAMES, type CrmId } from '../../domain/crm.js';
import { CrmError } from '../errors.js';
import type { ConnectionTarget, CrmConnection, Credentials } from '../types.js';
import { failureFromStatus, retryAfter } from './classify.js';
import type { CrmHttp, CrmRequest, CrmResponse } from './client.js';
import type { RateBudget } from './rate-budget.js';

/** The auth of one call; `token` is what a 401 names as rejected when asking for fresh credentials. */
export interface CallCredentials {
  headers: Record<string, string>;
  token?: string;
  /** Puts credentials into the request itself, for APIs that want them in the body. */
  sign?: (req: CrmRequest) => CrmRequest;
}

export interface ConnectionHttpOptions {
  crm: CrmId;
  base: CrmHttp;
  /** Credentials for a call; with `rejected`, the CRM just refused that token: refresh it. */
  credentials(rejected?: string): Promise<CallCredentials>;
  budget: RateBudget;
  /** The connector's reading of an answer: a CrmError when it failed, undefined when it is for the connector to read. */
  classify(res: CrmResponse): CrmError | undefined;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Sends per request for 429s, 5xx and timeouts (a refresh after a 401 is not counted). */
  maxAttempts?: number;
  backoff?: { baseMs: number; capMs: number };
  /** A 429 asking to wait longer than this is handed to the engine, which pauses the connection. */
  maxWaitMs?: number;
}

const DEFAULTS = { maxAttempts: 5, backoff: { baseMs: 250, capMs: 30_000 }, maxWaitMs: 60_000 };
/** Refused before any work was done, so even a POST can be sent again. */
const REFUSED = new Set([401, 429, 503]);

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^(attempt-1))). */
export function backoffDelay(attempt: number, random: () => number, b = DEFAULTS.backoff): number {
  return Math.floor(random() * Math.min(b.capMs, b.baseMs * 2 ** (attempt - 1)));
}

export function isIdempotent(req: CrmRequest): boolean {
  return req.idempotent ?? (req.method ?? 'GET') !== 'POST';
}

/**
 * The HTTP a connector uses during a sync: authenticated, within the connection's rate budget,
 * refreshing once on a 401, waiting out 429s and retrying 5xx and timeouts with backoff. It
 * returns the answer the connector reads, or throws the CrmError when retrying cannot help or
 * the attempts ran out. A write that may have committed (timeout, 500, 502, 504) is retried
 * only when the request is idempotent.
 */
export function connectionHttp(o: ConnectionHttpOptions): CrmHttp {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const maxAttempts = o.maxAttempts ?? DEFAULTS.maxAttempts;
  const backoff = o.backoff ?? DEFAULTS.backoff;
  const maxWaitMs = o.maxWaitMs ?? DEFAULTS.maxWaitMs;
  // Calls refused together share one refresh.
  const refreshing = new Map<string, Promise<CallCredentials>>();
  const refresh = (token: string) => {
    let shared = refreshing.get(token);
    if (!shared) {
      shared = o.credentials(token).finally(() => setTimeout(() => refreshing.delete(token), 1000).unref());
      refreshing.set(token, shared);
    }
    return shared;
  };

  return async (req) => {
    let creds = await o.credentials();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const release = await o.budget.take(req.url);
      let res: CrmResponse;
      try {
        const signed = creds.sign ? creds.sign(req) : req;
        res = await o.base({ ...signed, headers: { ...signed.headers, ...creds.headers } });
      } catch (err) {
        release();
        // A timeout may have committed: only an idempotent request is sent again.
        if (!(err instanceof CrmError) || err.kind !== 'unavailable' || !isIdempotent(req) || attempt >= maxAttempts) throw err;
        await sleep(backoffDelay(attempt, random, backoff));
        continue;
      }
      release();
      o.budget.observe(res.headers);
      const failure = o.classify(res);
      if (!failure) return res;

      if (res.status === 401 && !refreshed && creds.token !== undefined) {
        refreshed = true;
        const fresh = await refresh(creds.token);
        if (fresh.token === creds.token) throw failure;
        creds = fresh;
        attempt--;
        continue;
      }
      const safe = isIdempotent(req) || REFUSED.has(res.status);
      if (!failure.retryable || !safe || attempt >= maxAttempts) throw failure;
      if (failure.kind === 'rate_limited') {
        const wait = failure.details.retryAfterMs ?? retryAfter(res.headers.get('retry-after'));
        if (wait !== undefined && wait > maxWaitMs) throw failure;
        // Without a hint the headers (already observed) may have paused the budget; else back off.
        o.budget.pauseFor(wait ?? backoffDelay(attempt, random, backoff));
      } else {
        await sleep(backoffDelay(attempt, random, backoff));
      }
    }
  };
}

/** Call credentials from the connection's token store and the CRM's way of sending them. */
export function credentialsFor(
  tokens: { credentials(connectionId: string, rejected?: string): Promise<Credentials> },
  connection: Pick<CrmConnection, 'authHeaders' | 'authRequest'>,
  connectionId: string,
  target: ConnectionTarget,
): (rejected?: string) => Promise<CallCredentials> {
  return async (rejected) => {
    const c = await tokens.credentials(connectionId, rejected);
    const token = c.method === 'api_key' ? c.apiKey : c.accessToken;
    const sign = connection.authRequest ? (req: CrmRequest) => connection.authRequest!(c, target, req) : undefined;
    return { headers: connection.authHeaders(c, target), token, ...(sign ? { sign } : {}) };
  };
}

/** The usual reading of an answer: below 400 it is the connector's; at or above, a failure by status in the CRM's words. */
export function failureByStatus(crm: CrmId, vendorMessage: (body: unknown) => string | undefined = () => undefined) {
  return (res: CrmResponse): CrmError | undefined => (res.status < 400 ? undefined : failureFromStatus(CRM_NAMES[crm], res, vendorMessage(res.body)));
}

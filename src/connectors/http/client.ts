import { CrmError } from '../errors.js';
import { destinationAddresses, type Destinations } from './destinations.js';
import { pinnedExchange } from '../../net/pinned.js';

export interface CrmRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** JSON body, or a URLSearchParams for form posts (OAuth token endpoints). */
  body?: unknown;
  timeoutMs?: number;
  /**
   * Whether sending this request twice has the effect of sending it once. GET, PUT, PATCH and
   * DELETE are taken as such (CRM updates set values); a POST only when the caller says so
   * (an upsert, or a create carrying an idempotency key), since a POST that timed out may have
   * committed and retrying it could create a duplicate.
   */
  idempotent?: boolean;
}

export interface CrmResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text ('' for none). */
  body: unknown;
}

/** One HTTP exchange with a CRM; the shared layer for retries and limits wraps this. */
export type CrmHttp = (req: CrmRequest) => Promise<CrmResponse>;

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * HTTP with a timeout, JSON in and out. Network failures and timeouts become `unavailable`
 * CrmErrors; HTTP statuses are returned for the connector to classify, since each vendor
 * words its errors differently. With `destinations` (the server's client), every request is
 * checked and connected only to the addresses checked (pinned.ts); without, it is plain fetch.
 */
export function createCrmHttp(options: { timeoutMs?: number; destinations?: Destinations } = {}): CrmHttp {
  return async (req) => {
    const url = new URL(req.url);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.body instanceof URLSearchParams) {
      body = req.body.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const pinned = options.destinations ? await destinationAddresses(url, options.destinations) : undefined;
    let res: { status: number; headers: Headers; text: string };
    try {
      const init = { method: req.method ?? 'GET', headers, body, signal: AbortSignal.timeout(timeoutMs) };
      if (pinned) res = await pinnedExchange(url, pinned, init);
      else {
        const answer = await fetch(url, { ...init, redirect: 'manual' });
        res = { status: answer.status, headers: answer.headers, text: await answer.text() };
      }
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new CrmError(
        'unavailable',
        timedOut
          ? `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s`
          : `Could not reach ${url.host}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`,
      );
    }
    const text = res.text;
    let parsed: unknown = text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

/**
 * A check before each request of another transport (one a test or embedder supplies). It
 * cannot pin the address it checked as the built-in transport does, so a name could still
 * resolve differently between the check and the connect.
 */
export function guardHttp(http: CrmHttp, d: Destinations): CrmHttp {
  return async (req) => {
    await destinationAddresses(new URL(req.url), d);
    return http(req);
  };
}

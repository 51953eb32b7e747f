import type { ErrorCode, ErrorDetail } from './types.js';

/** Failures that happen before the server answers, or when its answer is not the documented error body. */
export type ClientSideCode = 'timeout' | 'network_error' | 'unexpected_response';

/** The server's `{"error":{code,message,details}}`, or a client-side failure with status 0. */
export class CrmSyncApiError extends Error {
  constructor(
    /** The HTTP status; 0 when no answer arrived (timeout, network). */
    readonly status: number,
    readonly code: ErrorCode | ClientSideCode,
    message: string,
    /** Each bad field, e.g. `{ path: 'emails[0]', message: '...' }`. */
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CrmSyncApiError';
  }

  /** Worth sending again unchanged: no answer, too slow to arrive, rate limited, or a server-side failure. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** Reads an error response; falls back to `unexpected_response` when the body is not ours (e.g. a proxy's page). */
export function errorFromResponse(status: number, text: string): CrmSyncApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = body.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      const details = Array.isArray(e.details) ? (e.details as ErrorDetail[]) : [];
      return new CrmSyncApiError(status, e.code as ErrorCode, e.message, details);
    }
  } catch {
    // not JSON: reported below
  }
  return new CrmSyncApiError(status, 'unexpected_response', `HTTP ${status}: ${text.slice(0, 200)}`);
}

/**
 * A CRM call that failed, classified so the engine knows what to do and an admin knows
 * what happened. `message` is in words a workspace admin can act on.
 */
export type FailureKind =
  | 'auth' // credentials refused: reconnect
  | 'forbidden' // authenticated, but the user or app lacks a permission or scope
  | 'rate_limited' // retry after `retryAfterMs`
  | 'unavailable' // 5xx, timeout, network: retry with backoff
  | 'invalid' // the CRM refused the data: fix the data or mapping
  | 'malformed' // the CRM answered in a shape we cannot read: not the CRM's API, or the vendor changed it
  | 'not_found'
  | 'conflict';

export class CrmError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: { status?: number; vendorCode?: string; retryAfterMs?: number; body?: unknown } = {},
  ) {
    super(message);
    this.name = 'CrmError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

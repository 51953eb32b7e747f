/** AutoChat's one error shape: `{"error": {"code", "message", "details"?: [{field, message}]}}`. */
export interface ErrorDetail {
  field: string;
  message: string;
}

export class AutoChatError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  body() {
    return errorBody(this.code, this.message, this.details);
  }
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]) {
  return { error: details && details.length ? { code, message, details } : { code, message } };
}

/** The code for a status when nothing more specific is known (injected faults, unknown routes). */
export function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
    413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed', 429: 'rate_limited', 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

export const validation = (details: ErrorDetail[]) => new AutoChatError(422, 'validation_failed', 'The request body is not valid', details);
export const notFound = (what: string, id: string) => new AutoChatError(404, 'not_found', `No ${what} with id ${id}`);

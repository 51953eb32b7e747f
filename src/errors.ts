/**
 * Every error code the HTTP API answers with, in one table. docs/errors.md lists the
 * same codes (a test checks), so an integrator can rely on them.
 */
export const ERRORS = {
  // Also a setting the connection's CRM does not offer, e.g. a destination module (PATCH /v1/connections/{id}).
  validation_failed: { status: 400, retryable: false, message: 'The request is not valid; see details for each field' },
  invalid_json: { status: 400, retryable: false, message: 'The body is not valid JSON' },
  unauthorized: { status: 401, retryable: false, message: 'A valid API key is required: send Authorization: Bearer <key>' },
  forbidden: { status: 403, retryable: false, message: 'Your role does not allow this action' },
  not_found: { status: 404, retryable: false, message: 'No such resource in this workspace' },
  conflict: { status: 409, retryable: false, message: 'The request conflicts with the current state' },
  activation_failed: { status: 400, retryable: false, message: 'The test record could not be written; the message says what the CRM refused' },
  credentials_refused: { status: 400, retryable: false, message: 'The CRM refused the credentials' },
  payload_too_large: { status: 413, retryable: false, message: 'The body is larger than the limit' },
  request_timeout: { status: 408, retryable: true, message: 'The request did not arrive within the time allowed; send it again' },
  unsupported_media_type: { status: 415, retryable: false, message: 'The body must be JSON (Content-Type: application/json)' },
  rate_limited: { status: 429, retryable: true, message: 'Too many requests; retry after the delay given' },
  headers_too_large: { status: 431, retryable: false, message: 'The request headers are larger than the limit' },
  internal: { status: 500, retryable: true, message: 'Something went wrong on our side; the request was not applied' },
  crm_unavailable: { status: 502, retryable: true, message: 'The CRM could not be reached or answered with an error; retry shortly' },
  unavailable: { status: 503, retryable: true, message: 'The database is not answering; retry shortly' },
  server_busy: { status: 503, retryable: true, message: 'The server is busy with other large requests; retry after the delay given' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetail {
  /** Where the problem is, e.g. `emails[1]` or `params.clientId`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
    this.retryable = ERRORS[code].retryable;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details.length ? { details: this.details } : {}) } };
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** `['emails', 1, 'value']` -> `emails[1].value` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) out += `[${String(seg)}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

import type { FastifyReply } from 'fastify';

/** Zoho's error object: `{code, details, message, status:"error"}`, alone or inside a `data` array. */
export interface ZohoError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export const zohoError = (code: string, message: string, details: Record<string, unknown> = {}): ZohoError => ({
  code,
  details,
  message,
  status: 'error',
});

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details: Record<string, unknown> = {}) {
  return reply.code(status).send(zohoError(code, message, details));
}

export const invalidModule = (reply: FastifyReply) =>
  sendError(reply, 400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 });

export const requiredParamMissing = (reply: FastifyReply, param: string) =>
  sendError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param });

export const invalidParam = (reply: FastifyReply, param: string, extra: Record<string, unknown> = {}) =>
  sendError(reply, 400, 'INVALID_DATA', 'invalid data', { param, ...extra });

/** The body for statuses the sandbox itself produces (injected faults, unknown routes, parse errors). */
export function failureFor(status: number, message: string): ZohoError {
  if (status === 404) return zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
  if (status === 401) return zohoError('INVALID_TOKEN', 'invalid oauth token');
  if (status === 429) return zohoError('TOO_MANY_REQUESTS', 'too many requests');
  if (status === 415) return zohoError('INVALID_DATA', 'body', { expected_data_type: 'jsonobject' });
  if (status === 400 || status === 413) return zohoError('INVALID_DATA', 'body', { reason: message });
  return zohoError('INTERNAL_ERROR', 'Internal server error occurred.', status >= 500 ? {} : { reason: message });
}

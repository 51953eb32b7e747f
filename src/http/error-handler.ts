import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CrmError } from '../connectors/errors.js';
import { AppError, formatPath, type ErrorDetail } from '../errors.js';
import { setSecurityHeaders } from './security-headers.js';

const CONTEXT_PREFIX: Record<string, string> = { body: '', params: 'params.', querystring: 'query.', headers: 'headers.' };

/** Every failure leaves as `{"error":{code,message,details?}}` from the one table in errors.ts. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appError = toAppError(err);
    if (appError.code === 'internal') req.log.error({ err }, 'unhandled error');
    else req.log.debug({ code: appError.code }, appError.message);
    return reply.code(appError.status).send(appError.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]}`);
    return reply.code(e.status).send(e.toBody());
  });
}

/**
 * Fastify's router refuses some URLs before any hook runs (a bad %-escape, a parameter over
 * maxParamLength) and would answer in its own shape; this gives them the usual one.
 */
export function answerFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const e =
    err.code === 'FST_ERR_BAD_URL'
      ? new AppError('validation_failed', 'The URL is not valid: a % must be followed by two hexadecimal digits of UTF-8', [{ path: 'url', message: 'malformed percent-encoding' }])
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('validation_failed', 'A part of the URL is too long', [{ path: 'url', message: 'a path segment is longer than allowed' }])
        : toAppError(err);
  req.log.debug({ code: err.code }, e.message);
  // The router answers before any hook, so the onSend hook's headers are set here.
  setSecurityHeaders(reply, req.url);
  void reply.code(e.status).send(e.toBody());
}

export function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  // A CRM's refusal that no route translated: still the CRM's words, never a 500.
  if ((err as unknown) instanceof CrmError) {
    const crm = err as unknown as CrmError;
    if (crm.kind === 'unavailable' || crm.kind === 'rate_limited') return new AppError('crm_unavailable', crm.message);
    if (crm.kind === 'auth' || crm.kind === 'forbidden') return new AppError('credentials_refused', crm.message);
    return new AppError('validation_failed', crm.message);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const prefix = CONTEXT_PREFIX[err.validationContext ?? 'body'] ?? '';
    const details: ErrorDetail[] = err.validation.map((v) => ({
      path: prefix + (formatPath(v.instancePath.split('/').filter(Boolean)) || '(body)'),
      message: v.message ?? 'is not valid',
    }));
    return new AppError('validation_failed', undefined, details);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', `The body is not valid JSON: ${err.message}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The body is empty; send a JSON object');
  }
  if (err instanceof SyntaxError) return new AppError('invalid_json', `The body is not valid JSON: ${err.message}`);
  const status = err.statusCode ?? 500;
  if (status === 404) return new AppError('not_found');
  if (status === 413) return new AppError('payload_too_large');
  if (status === 415) return new AppError('unsupported_media_type');
  if (status >= 400 && status < 500) return new AppError('validation_failed', err.message);
  return new AppError('internal');
}

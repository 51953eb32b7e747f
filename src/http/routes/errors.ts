import { ErrorBodySchema } from '../views.js';

/** The error responses every authenticated ingest route can give, for the OpenAPI document. */
export const INGEST_ERRORS = {
  400: ErrorBodySchema.describe('validation_failed or invalid_json: `details` names each bad field'),
  401: ErrorBodySchema.describe('unauthorized: no or bad API key'),
  403: ErrorBodySchema.describe('forbidden: the key lacks the scope'),
  413: ErrorBodySchema.describe('payload_too_large'),
  415: ErrorBodySchema.describe('unsupported_media_type: send application/json'),
} as const;

import type { FastifyInstance } from 'fastify';
import { AppError, formatPath, type ErrorDetail } from '../errors.js';

const MAX_REPORTED = 20;

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, and no CRM accepts it either, so a body
 * holding it anywhere (a value or a key) is refused up front, with the same answer on both
 * engines, instead of failing halfway through a write.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined || req.body === null) return;
    const details: ErrorDetail[] = [];
    walk(req.body, [], details);
    if (details.length) throw new AppError('validation_failed', undefined, details);
  });
}

function walk(value: unknown, path: (string | number)[], out: ErrorDetail[]): void {
  if (out.length >= MAX_REPORTED) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ path: formatPath(path) || '(body)', message: 'must not contain the NUL character (\\u0000)' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) out.push({ path: formatPath([...path, k]), message: 'keys must not contain the NUL character (\\u0000)' });
      walk(v, [...path, k], out);
    }
  }
}

import type { z } from 'zod';
import { HubSpotError } from './errors.js';

/** Parses a JSON body with a zod schema; a mismatch is HubSpot's 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.join('.') : '';
  const problem = issue?.code === 'invalid_type' && issue.input === undefined ? 'is required' : (issue?.message ?? 'is invalid');
  const message = path ? `Invalid input JSON: ${path} ${problem}` : `Invalid input JSON: the request body ${problem}`;
  throw HubSpotError.of(400, message, { errors: [{ message: `${path || 'body'} ${problem}`, ...(path ? { in: path } : {}) }] });
}

/** `properties=a,b` or `properties=a&properties=b`, as HubSpot accepts both. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const names = parts.map((p) => p.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

export function intParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw HubSpotError.of(400, `${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

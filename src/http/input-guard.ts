import type { FastifyInstance } from 'fastify';
import { AppError, formatPath, type ErrorDetail } from '../errors.js';

const MAX_REPORTED = 20;

/**
 * The deepest nesting of objects and arrays a request may hold. Our deepest legitimate body
 * (a batch's conversation's message's attachment) is 5 levels; the limit only has to keep a
 * hostile body (a few KB of `[[[[...`) from costing a stack or a slow walk.
 */
export const MAX_DEPTH = 64;

/** A UTF-16 surrogate without its other half: no valid UTF-8 exists for it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, with the same 400 on both engines, input that PostgreSQL cannot store and that no
 * CRM accepts: U+0000 and lone surrogates, in the body (values and keys), the path
 * parameters and the query. Without this, SQLite stores them and PostgreSQL fails halfway
 * through a write with a 500. It also bounds the body's nesting, checked first and without
 * recursion, so a deep body is a 400 rather than a stack overflow in this walk or a later one.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const details: ErrorDetail[] = [];
    walk(req.params, ['params'], details);
    walk(req.query, ['query'], details);
    if (req.body !== undefined && req.body !== null) walk(req.body, [], details);
    if (details.length) throw new AppError('validation_failed', undefined, details);
  });
}

/** A value still to visit, with the way to it kept as links so only a reported path is built. */
interface Frame {
  value: unknown;
  key: string | number | undefined;
  parent: Frame | undefined;
  depth: number;
}

function walk(root: unknown, prefix: string[], out: ErrorDetail[]): void {
  const stack: Frame[] = [{ value: root, key: undefined, parent: undefined, depth: 0 }];
  while (stack.length && out.length < MAX_REPORTED) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) out.push({ path: pathOf(frame, prefix), message: `must not contain ${problem}` });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (frame.depth >= MAX_DEPTH) {
      // The whole body is refused; where in it does not help, and the path would be 64 keys long.
      out.push({ path: formatPath(prefix) || '(body)', message: `is nested more than ${MAX_DEPTH} levels deep` });
      return;
    }
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    // Pushed last to first, so problems are reported in the order they appear.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push({ value: child, key, parent: frame, depth: frame.depth + 1 });
    }
    for (const [key] of entries) {
      const problem = typeof key === 'string' ? stringProblem(key) : undefined;
      if (problem) out.push({ path: pathOf({ value: undefined, key, parent: frame, depth: 0 }, prefix), message: `keys must not contain ${problem}` });
    }
  }
}

function stringProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'a lone UTF-16 surrogate (half of a \\ud83d\\ude00 pair); send whole characters';
  return undefined;
}

function pathOf(frame: Frame, prefix: string[]): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) keys.push(f.key);
  return formatPath([...prefix, ...keys.reverse()]) || '(body)';
}

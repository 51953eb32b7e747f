import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Bodies from this size on count against the budget; smaller ones are never held back. */
export const LARGE_BODY_BYTES = 1024 * 1024;

/** Assumed until a large body has been processed: about what SQLite writes of a batch per second. */
const INITIAL_BYTES_PER_MS = 2_000;

/**
 * The bytes of large bodies being read and processed at once. A batch takes several times its
 * size in memory while it is parsed, validated and written (three concurrent 27 MiB batches took
 * a server past 650 MiB), so beyond the budget a large body is refused with a Retry-After
 * instead of being read. One body alone is always let in, however large (up to its route's
 * body limit), so no valid request is refused forever.
 */
export class BodyBudget {
  private inFlight = 0;
  private bytesPerMs = INITIAL_BYTES_PER_MS;

  constructor(readonly capacity: number) {}

  /** Takes `bytes` of the budget; the returned function gives them back, or undefined when they do not fit. */
  take(bytes: number): (() => void) | undefined {
    if (this.inFlight > 0 && this.inFlight + bytes > this.capacity) return undefined;
    this.inFlight += bytes;
    const started = Date.now();
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.inFlight -= bytes;
      // The rate large bodies get through, smoothed, to tell a refused client when to come back.
      this.bytesPerMs = 0.7 * this.bytesPerMs + 0.3 * (bytes / Math.max(1, Date.now() - started));
    };
  }

  /** Seconds until the bodies in flight are likely done, between 1 and 60. */
  retryAfterSeconds(): number {
    return Math.min(60, Math.max(1, Math.ceil(this.inFlight / this.bytesPerMs / 1000)));
  }
}

/** The body's size as declared; a chunked body may be as large as its route allows. */
function declaredBytes(req: FastifyRequest): number {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) || 0;
  return req.headers['transfer-encoding'] ? req.routeOptions.bodyLimit ?? 0 : 0;
}

/**
 * Checked before the body is read (preParsing: after the route's authentication, so an
 * anonymous client cannot take the budget), and given back when the answer is sent or the
 * client goes away.
 */
export function installBodyBudget(app: FastifyInstance, capacityBytes: number): void {
  const budget = new BodyBudget(capacityBytes);
  app.addHook('preParsing', async (req, reply, payload) => {
    const bytes = declaredBytes(req);
    // Over the route's limit: the parser answers 413 without reading it all.
    if (bytes < LARGE_BODY_BYTES || bytes > (req.routeOptions.bodyLimit ?? Infinity)) return payload;
    const giveBack = budget.take(bytes);
    if (!giveBack) {
      reply.header('retry-after', String(budget.retryAfterSeconds()));
      throw new AppError('server_busy');
    }
    reply.raw.once('close', giveBack);
    return payload;
  });
}

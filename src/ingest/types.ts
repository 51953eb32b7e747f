import type { ErrorDetail } from '../errors.js';

export type WriteResult = 'created' | 'updated' | 'unchanged';

export interface EntityResult {
  id: string;
  result: WriteResult;
  version: number;
}

/** A result with the record's times, so a route can answer without reading the record back. */
export interface StampedResult extends EntityResult {
  createdAt: number;
  updatedAt: number;
}

export const publicResult = ({ id, result, version }: EntityResult): EntityResult => ({ id, result, version });

/** Normalised input, or every problem found in it (nothing is written then). */
export type Prepared<T> = { ok: true; items: T[] } | { ok: false; details: ErrorDetail[] };

/** Collects per-item outcomes of a normaliser into one Prepared. */
export function collect<T>(outcomes: ({ ok: true; value: T } | { ok: false; details: ErrorDetail[] })[]): Prepared<T> {
  const details = outcomes.flatMap((o) => (o.ok ? [] : o.details));
  if (details.length) return { ok: false, details };
  return { ok: true, items: outcomes.flatMap((o) => (o.ok ? [o.value] : [])) };
}

/** A later item with the same id wins, as if the requests had come one after another. */
export function lastById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}

export interface PlannedWrite<B> {
  body: B;
  hash: string;
  version: number;
  createdAt: number;
  created: boolean;
}

/**
 * Compares each body with what is stored: identical ones are `unchanged` and produce no
 * write and no sync work; the rest get the next version.
 */
export function planWrites<B extends { id: string }>(
  bodies: B[],
  stored: Map<string, { hash: string; version: number; createdAt: number; updatedAt: number }>,
  hashOf: (body: B) => string,
  now: number,
): { results: StampedResult[]; changed: PlannedWrite<B>[] } {
  const results: StampedResult[] = [];
  const changed: PlannedWrite<B>[] = [];
  for (const body of lastById(bodies)) {
    const hash = hashOf(body);
    const prior = stored.get(body.id);
    if (prior && prior.hash === hash) {
      results.push({ id: body.id, result: 'unchanged', version: prior.version, createdAt: prior.createdAt, updatedAt: prior.updatedAt });
      continue;
    }
    const version = (prior?.version ?? 0) + 1;
    const createdAt = prior?.createdAt ?? now;
    changed.push({ body, hash, version, createdAt, created: !prior });
    results.push({ id: body.id, result: prior ? 'updated' : 'created', version, createdAt, updatedAt: now });
  }
  return { results, changed };
}

import { z } from 'zod';

/** The platform's own ids: any printable string up to 200 characters. */
export const PlatformId = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  .regex(/^[^\s\u0000-\u001f\u007f/]+$/, 'must not contain spaces, slashes or control characters');

/** ISO 8601 with a time zone, e.g. 2026-11-20T10:00:00Z; stored as epoch milliseconds. */
export const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-20T10:00:00Z' });

export const HttpUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/** Values of free properties and specific fields: scalars a CRM property can hold. */
export const ScalarValue = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]);

export const PropertyMap = z
  .record(z.string().min(1).max(100), ScalarValue)
  .refine((m) => Object.keys(m).length <= 200, 'must have at most 200 keys');

export const toEpoch = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso));
export const toIso = (ms: number | null | undefined): string | undefined => (ms == null ? undefined : new Date(ms).toISOString());

/**
 * The time window, cursor and page size of a newest-first log read (sync logs, audit). A
 * nextCursor is an entry id: never beyond what a JS number holds exactly (nor PostgreSQL's bigint).
 */
export const LogPageQuery = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,16}$/, 'must be the nextCursor of a previous page')
    .refine((v) => Number(v) <= Number.MAX_SAFE_INTEGER, 'must be the nextCursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

/** A LogPageQuery as the store reads it: epoch milliseconds, and one row more than the page to tell whether another follows. */
export function logPageWindow(q: { from?: string; to?: string; cursor?: string; limit: number }): { from?: number; to?: number; before?: number; limit: number } {
  return {
    from: q.from ? Date.parse(q.from) : undefined,
    to: q.to ? Date.parse(q.to) : undefined,
    before: q.cursor ? Number(q.cursor) : undefined,
    limit: q.limit + 1,
  };
}

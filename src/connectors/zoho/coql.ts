import { z } from 'zod';
import type { OutboundContext } from '../outbound.js';
import { chunks, coqlString, crmUrl, fetchZoho, ZOHO } from './api.js';

const Rows = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  info: z.object({ more_records: z.boolean().default(false) }).loose().optional(),
});

/** Pages read per query; beyond 20,000 rows for one set of values something else is wrong. */
const MAX_PAGES = 10;

/** A field and the values it may take: `field in (...)`. */
export interface InCondition {
  field: string;
  values: string[];
}

/**
 * The rows of `module` where any of the fields takes any of its values, in as few COQL calls as
 * Zoho allows: each `in` holds up to 50 values and a query up to 25 of them, so one query looks
 * up 1,250 values (a search takes one field and 50 values). LIMIT is the smallest credit tier
 * that can hold `rowsPerValue` rows per value, and further pages are read when Zoho says there
 * are more.
 */
export async function coqlWhereIn(ctx: OutboundContext, module: string, select: string[], conditions: InCondition[], rowsPerValue = 1): Promise<Record<string, unknown>[]> {
  const { inValues, criteria, maxLimit, creditTiers } = ZOHO.coql;
  const parts = conditions.flatMap(({ field, values }) => chunks([...new Set(values.filter(Boolean))], inValues).map((part) => ({ field, part })));
  const out: Record<string, unknown>[] = [];
  for (const query of chunks(parts, criteria)) {
    const where = nest(query.map(({ field, part }) => `${field} in (${part.map(coqlString).join(', ')})`));
    const wanted = query.reduce((n, q) => n + q.part.length, 0);
    const limit = creditTiers.find((t) => t >= wanted * rowsPerValue) ?? maxLimit;
    for (let page = 0; page < MAX_PAGES; page++) {
      const select_query = `select ${select.join(', ')} from ${module} where ${where} limit ${page * limit}, ${limit}`;
      const answer = await fetchZoho(ctx, { method: 'POST', url: crmUrl(ctx, '/coql'), body: { select_query }, idempotent: true }, Rows);
      if (!answer) break; // 204: nothing (more)
      out.push(...answer.data);
      if (!answer.info?.more_records) break;
    }
  }
  return out;
}

/** Zoho wants more than two criteria bracketed in pairs: (A or (B or C)). */
function nest(criteria: string[]): string {
  const [first, ...rest] = criteria;
  return rest.length ? `(${first} or ${nest(rest)})` : `(${first})`;
}

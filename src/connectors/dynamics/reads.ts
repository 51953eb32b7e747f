import type { z } from 'zod';
import type { OutboundContext } from '../outbound.js';
import { allPages, query, refusal } from './api.js';
import { sendBatch } from './batch.js';

/** One Web API query: an entity set and its OData options ($select, $filter, ...). */
export interface Query {
  set: string;
  params: Record<string, string>;
}

/** The query's URL as a GET inside a `$batch` carries it: each option's value encoded (spaces as %20). */
const urlOf = (ctx: OutboundContext, q: Query) =>
  `${ctx.apiBase}/${q.set}?${Object.entries(q.params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')}`;

/**
 * The rows of several queries, in order, in one call: a `$batch` of GETs, which Dataverse
 * answers part by part and counts as one request against its service protection limit (a
 * single query goes as a plain GET). A page that goes on (@odata.nextLink) is followed with
 * plain GETs. A query Dataverse refuses throws, as it would alone. Each row is parsed with `row`.
 */
export async function queryMany<S extends z.ZodType>(ctx: OutboundContext, queries: Query[], row: S): Promise<z.infer<S>[][]> {
  if (queries.length === 0) return [];
  if (queries.length === 1) {
    const [q] = queries as [Query];
    return [await query(ctx, q.set, q.params, row)];
  }
  const answers = await sendBatch(
    ctx,
    queries.map((q) => ({ method: 'GET', url: urlOf(ctx, q) })),
  );
  const out: z.infer<S>[][] = [];
  for (const [i, res] of answers.entries()) {
    const q = queries[i] as Query;
    if (res.status !== 200) throw refusal(res, q.set);
    out.push(await allPages(ctx, res.body, row, q.set));
  }
  return out;
}

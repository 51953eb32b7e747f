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
 * plain GETs. A query Dataverse refuses throws, as it would alone.
 */
export async function queryMany<T = Record<string, unknown>>(ctx: OutboundContext, queries: Query[]): Promise<T[][]> {
  if (queries.length === 0) return [];
  if (queries.length === 1) {
    const [q] = queries as [Query];
    return [await query<T>(ctx, q.set, q.params)];
  }
  const answers = await sendBatch(
    ctx,
    queries.map((q) => ({ method: 'GET', url: urlOf(ctx, q) })),
  );
  const out: T[][] = [];
  for (const [i, res] of answers.entries()) {
    const q = queries[i] as Query;
    if (res.status !== 200) throw refusal(res, q.set);
    out.push(await allPages<T>(ctx, res.body));
  }
  return out;
}

import { z } from 'zod';
import type { OutboundContext } from '../outbound.js';
import { SALESFORCE, callSalesforce, dataUrl } from './api.js';
import { classifyAnswer } from './failures.js';

/** A SOQL string literal: backslashes and quotes escaped, as SOQL wants. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `('a', 'b')` for an IN clause. */
export function inList(values: readonly string[]): string {
  return `(${values.map(literal).join(', ')})`;
}

/**
 * Splits items into groups whose literals, URL-encoded, stay within the query budget, so each
 * group's query fits in one GET. `literalsOf` names the values an item adds to the query.
 */
export function chunkForQuery<T>(items: readonly T[], literalsOf: (item: T) => string[], budget: number = SALESFORCE.queryLiteralBudget): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const cost = literalsOf(item).reduce((n, v) => n + encodeURIComponent(literal(v)).length + 6, 0);
    if (current.length > 0 && size + cost > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const QueryPage = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

export type SoqlRecord = Record<string, unknown> & { Id?: string };

/**
 * Runs a query and follows `nextRecordsUrl` to the last page. `includeDeleted` uses
 * queryAll, which also sees records in the recycle bin.
 */
export async function query(ctx: OutboundContext, soql: string, options: { includeDeleted?: boolean } = {}): Promise<SoqlRecord[]> {
  const first = QueryPage.parse(await callSalesforce(ctx, { url: dataUrl(ctx, options.includeDeleted ? '/queryAll' : '/query'), query: { q: soql } }));
  return [...first.records, ...(await laterPages(ctx, first))];
}

/** The pages after `page`: nextRecordsUrl is a path from the instance root (/services/data/v60.0/query/01g...-2000). */
async function laterPages(ctx: OutboundContext, page: z.infer<typeof QueryPage>): Promise<SoqlRecord[]> {
  const records: SoqlRecord[] = [];
  while (!page.done && page.nextRecordsUrl) {
    page = QueryPage.parse(await callSalesforce(ctx, { url: `${ctx.apiBase}${page.nextRecordsUrl}` }));
    records.push(...page.records);
  }
  return records;
}

/** Subrequests per Composite call (Salesforce's limit). */
const COMPOSITE_LIMIT = 25;

const CompositeAnswer = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number() })),
});

/**
 * Several queries, 25 to a Composite call: a Composite call counts as one call of the daily
 * allocation, where each query on its own would be one. Results come back in order; a result
 * with more pages is followed with plain GETs, and a refused query throws as `query` would.
 */
export async function queryMany(ctx: OutboundContext, soqls: string[]): Promise<SoqlRecord[][]> {
  const out: SoqlRecord[][] = [];
  for (let i = 0; i < soqls.length; i += COMPOSITE_LIMIT) {
    const part = soqls.slice(i, i + COMPOSITE_LIMIT);
    const compositeRequest = part.map((q, j) => ({ method: 'GET', url: `/services/data/${SALESFORCE.apiVersion}/query?q=${encodeURIComponent(q)}`, referenceId: `q${i + j}` }));
    // Reads only: sending it twice has the effect of sending it once.
    const answer = CompositeAnswer.parse(await callSalesforce(ctx, { method: 'POST', url: dataUrl(ctx, '/composite'), body: { allOrNone: false, compositeRequest }, idempotent: true }));
    for (const r of answer.compositeResponse) {
      const failure = classifyAnswer({ status: r.httpStatusCode, headers: new Headers(), body: r.body });
      if (failure) throw failure;
      const page = QueryPage.parse(r.body);
      out.push([...page.records, ...(await laterPages(ctx, page))]);
    }
  }
  return out;
}

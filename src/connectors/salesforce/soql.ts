import { z } from 'zod';
import type { OutboundContext } from '../outbound.js';
import { SALESFORCE, callSalesforce, dataUrl } from './api.js';

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
  const records: SoqlRecord[] = [];
  let url: string | undefined = dataUrl(ctx, options.includeDeleted ? '/queryAll' : '/query');
  let params: Record<string, string> | undefined = { q: soql };
  while (url) {
    const page = QueryPage.parse(await callSalesforce(ctx, { url, query: params }));
    records.push(...page.records);
    // nextRecordsUrl is a path from the instance root: /services/data/v60.0/query/01g...-2000
    url = !page.done && page.nextRecordsUrl ? `${ctx.apiBase}${page.nextRecordsUrl}` : undefined;
    params = undefined;
  }
  return records;
}

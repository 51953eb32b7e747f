import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmRequest, CrmResponse } from '../http/client.js';
import type { OutboundContext, RecordOutcome } from '../outbound.js';
import { malformed, Page, parseAnswer } from './schemas.js';

/** Dynamics 365 (Dataverse Web API) facts for outbound sync, in one place. */
export const DYNAMICS = {
  name: 'Microsoft Dynamics 365',
  /** Requests per `$batch`: Dataverse takes 1,000, but a smaller batch keeps one answer's size and time modest. */
  batchSize: 100,
  /** Values per `$filter` (`or` chains), so that a query stays well within a GET's URL length. */
  filterChunk: 50,
  /**
   * Characters of an encoded `$filter` we put in one query. Dataverse takes URLs of up to
   * 32,768 characters (65,536 inside a `$batch`); this leaves room for the base and `$select`,
   * so a query could also travel alone.
   */
  filterBudget: 24_000,
  /**
   * Values compared in one query, at most: Dataverse runs a query as SQL with a parameter per
   * value, and SQL Server takes 2,100 parameters, so short values must not fill the budget above.
   */
  valuesPerQuery: 1_000,
  /** crm-sync's solution column holding our client id (an alternate key on contact) or an activity's key. */
  keyColumn: 'cs_crmsyncid',
} as const;

/** An OData string literal: quotes doubled, e.g. 'O''Brien'. */
export const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `contacts(cs_crmsyncid='c-1')`, encoded for a URL path. */
export const byKey = (set: string, value: string) => `${set}(${DYNAMICS.keyColumn}=${encodeURIComponent(literal(value))})`;

/** The row id at the end of an OData-EntityId such as `.../contacts(0d2f...)`. */
export const idFromEntityUrl = (url: string | null | undefined) => /\(([0-9a-f-]{36})\)\s*$/i.exec(url ?? '')?.[1];

/**
 * A refusal in Dataverse's words, naming the column and the value we sent where the message
 * names the column (`'cs_qualification'`, `property 'x'`), e.g.
 * `Microsoft Dynamics 365 refused cs_qualification = 5 on contacts: "A validation error occurred. ..."`.
 */
export function refusal(res: CrmResponse, what: string, sent?: Record<string, unknown>): CrmError {
  const message = pickMessage(res.body, 'error.message');
  const code = pickMessage(res.body, 'error.code');
  // A bind to a row that does not exist answers 404 naming that row's id: the record is refused, not gone.
  const bound = Object.keys(sent ?? {}).filter((k) => k.endsWith('@odata.bind') && idFromEntityUrl(String(sent?.[k])) && message?.includes(idFromEntityUrl(String(sent?.[k])) as string));
  if (res.status !== 400 && res.status !== 412 && bound.length === 0) return failureFromStatus(DYNAMICS.name, res, message, code);
  const named = bound.length > 0 ? bound : Object.keys(sent ?? {}).filter((k) => message?.includes(`'${k.split('@')[0]}'`));
  const fields = named.length > 0 ? named.map((k) => `${k} = ${JSON.stringify(sent?.[k])}`).join(', ') : 'the record';
  const kind = res.status === 412 ? 'conflict' : 'invalid';
  return new CrmError(kind, `${DYNAMICS.name} refused ${fields} on ${what}: "${message ?? `HTTP ${res.status}`}"${code ? ` (${code})` : ''}`, { status: res.status, vendorCode: code, body: res.body });
}

/**
 * The outcome of one write in a `$batch`: the row's id from its representation (`Prefer:
 * return=representation`) under the table's primary key, else from its OData-EntityId header;
 * a refusal in Dataverse's words. A success naming no row is refused: there would be nothing
 * to link, and writing again would make a second row.
 */
export function writeOutcome(res: CrmResponse, table: string, primaryId: string, sent?: Record<string, unknown>): RecordOutcome {
  if (res.status >= 300) return { ok: false, error: refusal(res, table, sent) };
  const id = z.looseObject({ [primaryId]: z.string() }).safeParse(res.body).data?.[primaryId] ?? idFromEntityUrl(res.headers.get('odata-entityid'));
  if (typeof id === 'string') return { ok: true, ref: { object: table, id }, created: res.status === 201 };
  return { ok: false, error: malformed(`wrote a row in ${table} without naming it (no ${primaryId}, no OData-EntityId)`, res.body) };
}

/** One Web API call; a non-2xx answer becomes a classified CrmError. */
export async function callDynamics(ctx: OutboundContext, req: CrmRequest): Promise<CrmResponse> {
  const res = await ctx.http(req);
  if (res.status >= 200 && res.status < 300) return res;
  throw refusal(res, req.url.slice(ctx.apiBase.length + 1).split(/[(?]/)[0] ?? 'the request');
}

/** All rows of a query, each parsed with `row`, following @odata.nextLink. */
export async function query<S extends z.ZodType>(ctx: OutboundContext, set: string, params: Record<string, string>, row: S): Promise<z.infer<S>[]> {
  const res = await callDynamics(ctx, { url: `${ctx.apiBase}/${set}`, query: params });
  return allPages(ctx, res.body, row, set);
}

/**
 * The rows of a query's first page (an answer's body) and of the pages its @odata.nextLink
 * leads to. A page without `value` is refused, not read as no rows: matching would then
 * create a second record of one that exists.
 */
export async function allPages<S extends z.ZodType>(ctx: OutboundContext, first: unknown, row: S, set: string): Promise<z.infer<S>[]> {
  const rows: z.infer<S>[] = [];
  let page = parseAnswer(Page(row), first, set);
  for (;;) {
    rows.push(...page.value);
    const next = page['@odata.nextLink'];
    if (!next) return rows;
    page = parseAnswer(Page(row), (await callDynamics(ctx, { url: next })).body, set);
  }
}

/**
 * `Microsoft.Dynamics.CRM.In(PropertyName='col',PropertyValues=['a','b'])`: one column against
 * many strings, far shorter than an `or` chain of `eq`s.
 */
export const isIn = (column: string, values: string[]) => `Microsoft.Dynamics.CRM.In(PropertyName=${literal(column)},PropertyValues=[${values.map(literal).join(',')}])`;

/** How many characters a filter's text takes once encoded in a URL. */
const encodedLength = (text: string) => encodeURIComponent(text).length;

/**
 * What one value in an In list or `or` chain costs against DYNAMICS.filterBudget: its encoded
 * length (`extra` is the text around it), and never less than a share of the budget that keeps
 * a query within DYNAMICS.valuesPerQuery values.
 */
export const valueCost = (value: string, extra = ',') => Math.max(encodedLength(`${value}${extra}`), Math.ceil(DYNAMICS.filterBudget / DYNAMICS.valuesPerQuery));

/**
 * Splits items into runs whose cost (encoded characters each adds to a filter) stays within
 * DYNAMICS.filterBudget; an item over the budget on its own still gets a run of its own.
 */
export function chunksWithin<T>(items: T[], cost: (item: T) => number, budget: number = DYNAMICS.filterBudget): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (run.length > 0 && used + c > budget) {
      out.push(run);
      run = [];
      used = 0;
    }
    run.push(item);
    used += c;
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** `(a or b or c)` over the values, each turned into a comparison. */
export const anyOf = (values: string[], compare: (v: string) => string) => `(${values.map(compare).join(' or ')})`;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

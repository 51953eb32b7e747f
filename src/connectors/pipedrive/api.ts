import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmRequest, CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';
import { Envelope, Pagination, parseAnswer, SearchAnswer } from './schemas.js';

/** Pipedrive's facts for outbound sync, in one place. */
export const PIPEDRIVE = {
  name: 'Pipedrive',
  /**
   * Pipedrive has no batch write endpoint: the engine hands us a few records at a time and we
   * write them one by one, paced by the rate budget. Ten keeps a conversation's note, tasks and
   * call in one call, so the person's notes and activities are listed once for all of them.
   */
  batchSize: 10,
  /** Items per page of v1 (start/limit) and v2 (cursor) lists; both cap at 500. */
  pageLimit: 500,
  /** The custom person field where crm-sync keeps its client id (Pipedrive persons have no external id). */
  clientIdFieldName: 'crm-sync client id',
  /** Organization fields crm-sync creates on demand: our company id (so a replay updates), the platform's account id and the web domain (for matching). */
  companyIdFieldName: 'crm-sync company id',
  accountIdFieldName: 'External account id',
  domainFieldName: 'Domain',
  /** The deal field where crm-sync keeps a requested deal's key (so a replay finds the deal). */
  dealKeyFieldName: 'crm-sync deal key',
} as const;

export const v1 = (ctx: OutboundContext, path: string) => `${ctx.apiBase}/api/v1${path}`;
export const v2 = (ctx: OutboundContext, path: string) => `${ctx.apiBase}/api/v2${path}`;

/** A non-2xx answer in Pipedrive's words: v1 and v2 both say `{success: false, error, error_info}`. */
export function pipedriveFailure(res: CrmResponse): CrmError {
  return failureFromStatus(PIPEDRIVE.name, res, pickMessage(res.body, 'error', 'message'), pickMessage(res.body, 'errorCode', 'code'));
}

/** `GET /api/v2/persons/12` -> `GET /persons/{id}`-like words for an error: the method and the path. */
const callName = (req: CrmRequest) => `${req.method ?? 'GET'} ${new URL(req.url).pathname.replace(/^\/api/, '')}`;

/**
 * One call; a non-2xx answer becomes a classified CrmError. Returns the envelope's `data`,
 * parsed with `data`, and the rest of it.
 */
export async function callPipedrive<S extends z.ZodType>(ctx: OutboundContext, req: CrmRequest, data: S): Promise<{ data: z.infer<S>; additional: Record<string, unknown> }> {
  const res = await ctx.http(req);
  if (res.status < 200 || res.status >= 300) throw pipedriveFailure(res);
  const body = parseAnswer(Envelope, res.body ?? {}, callName(req));
  return { data: parseAnswer(data, body.data, callName(req), ['data']), additional: body.additional_data ?? {} };
}

/** Every item of a v1 list (start/limit pages), each parsed with `item`; a list with none answers data null. */
export async function listV1<S extends z.ZodType>(ctx: OutboundContext, path: string, item: S, query: Record<string, string | number | undefined> = {}): Promise<z.infer<S>[]> {
  const all: z.infer<S>[] = [];
  for (let start = 0; ; ) {
    const { data, additional } = await callPipedrive(ctx, { url: v1(ctx, path), query: { ...query, start, limit: PIPEDRIVE.pageLimit } }, z.array(item).nullish());
    all.push(...(data ?? []));
    const page = Pagination.parse(additional.pagination);
    if (!page?.more_items_in_collection || page.next_start === undefined) return all;
    start = page.next_start;
  }
}

/** The items of a v2 list (cursor pages), each parsed with `item`, up to `maxPages` pages; `complete` says whether the list ended. */
export async function listV2<S extends z.ZodType>(
  ctx: OutboundContext,
  path: string,
  item: S,
  query: Record<string, string | number | undefined> = {},
  maxPages = Number.POSITIVE_INFINITY,
): Promise<{ items: z.infer<S>[]; complete: boolean }> {
  const items: z.infer<S>[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { data, additional } = await callPipedrive(ctx, { url: v2(ctx, path), query: { ...query, cursor, limit: PIPEDRIVE.pageLimit } }, z.array(item).nullish());
    items.push(...(data ?? []));
    const next = additional.next_cursor;
    if (typeof next !== 'string' || next === '') return { items, complete: true };
    cursor = next;
  }
  return { items, complete: false };
}

/** A v2 search (`/persons/search`, `/organizations/search`): the ids of the items found, best first. */
export async function searchIds(ctx: OutboundContext, entity: 'persons' | 'organizations', term: string, fields: string): Promise<number[]> {
  const { data } = await callPipedrive(
    ctx,
    {
      url: v2(ctx, `/${entity}/search`),
      query: { term, fields, exact_match: 'true', limit: 20 },
    },
    SearchAnswer,
  );
  return (data?.items ?? []).map((i) => i.item.id);
}

/** Whether a failed write may have been committed by Pipedrive all the same (a timeout, a 500, 502 or 504). */
export const mayHaveCommitted = (err: unknown) => err instanceof CrmError && err.kind === 'unavailable';

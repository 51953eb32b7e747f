import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmRequest, CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';

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

/** One call; a non-2xx answer becomes a classified CrmError. Returns the envelope's `data` and the rest of it. */
export async function callPipedrive<T = unknown>(ctx: OutboundContext, req: CrmRequest): Promise<{ data: T; additional: Record<string, unknown> }> {
  const res = await ctx.http(req);
  if (res.status < 200 || res.status >= 300) throw pipedriveFailure(res);
  const body = (res.body ?? {}) as { data?: T; additional_data?: Record<string, unknown> };
  return { data: body.data as T, additional: body.additional_data ?? {} };
}

/** Every item of a v1 list (start/limit pages). */
export async function listV1<T>(ctx: OutboundContext, path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const all: T[] = [];
  for (let start = 0; ; ) {
    const { data, additional } = await callPipedrive<T[] | null>(ctx, { url: v1(ctx, path), query: { ...query, start, limit: PIPEDRIVE.pageLimit } });
    all.push(...(data ?? []));
    const page = additional.pagination as { more_items_in_collection?: boolean; next_start?: number } | undefined;
    if (!page?.more_items_in_collection || page.next_start === undefined) return all;
    start = page.next_start;
  }
}

/** The items of a v2 list (cursor pages), up to `maxPages` pages; `complete` says whether the list ended. */
export async function listV2<T>(
  ctx: OutboundContext,
  path: string,
  query: Record<string, string | number | undefined> = {},
  maxPages = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { data, additional } = await callPipedrive<T[] | null>(ctx, { url: v2(ctx, path), query: { ...query, cursor, limit: PIPEDRIVE.pageLimit } });
    items.push(...(data ?? []));
    const next = additional.next_cursor;
    if (typeof next !== 'string' || next === '') return { items, complete: true };
    cursor = next;
  }
  return { items, complete: false };
}

/** A v2 search (`/persons/search`, `/organizations/search`): the ids of the items found, best first. */
export async function searchIds(ctx: OutboundContext, entity: 'persons' | 'organizations', term: string, fields: string): Promise<number[]> {
  const { data } = await callPipedrive<{ items?: { item: { id: number } }[] }>(ctx, {
    url: v2(ctx, `/${entity}/search`),
    query: { term, fields, exact_match: 'true', limit: 20 },
  });
  return (data?.items ?? []).map((i) => i.item.id);
}

/** Whether a failed write may have been committed by Pipedrive all the same (a timeout, a 500, 502 or 504). */
export const mayHaveCommitted = (err: unknown) => err instanceof CrmError && err.kind === 'unavailable';

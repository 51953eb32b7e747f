import { duplicateKey, methodNotAllowed } from '../errors.js';
import { filterRows, orderRows, pagingCookie, readPagingCookie, readQueryOptions } from '../odata/query.js';
import type { EntityDef } from '../schema/index.js';
import {
  JSON_STREAMING,
  bindResolver,
  contextUrl,
  entityUrl,
  nameResolver,
  preferences,
  recordShape,
  selectedColumns,
  wantsRepresentation,
  type ApiContext,
  type ApiRequest,
  type ApiResponse,
} from './context.js';
import { readPayload } from './payload.js';
import { representation } from './records.js';
import { annotationFilter, serializeRecord } from './serialize.js';

/** Dataverse returns at most 5,000 rows per page, and counts at most 5,000. */
export const MAX_PAGE_SIZE = 5000;

/** An entity set: list with query options (GET), create (POST), and `$count`. */
export function handleCollection(ctx: ApiContext, req: ApiRequest, def: EntityDef, rest: string[]): ApiResponse {
  if (rest.length === 1 && rest[0] === '$count' && req.method === 'GET') {
    const n = Math.min(ctx.store.rows(def.logicalName).length, MAX_PAGE_SIZE);
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: String(n) };
  }
  if (req.method === 'GET') return list(ctx, req, def);
  if (req.method === 'POST') return create(ctx, req, def);
  throw methodNotAllowed(req.method);
}

function create(ctx: ApiContext, req: ApiRequest, def: EntityDef): ApiResponse {
  const values = readPayload(def, req.body, 'create', bindResolver(ctx));
  const requestedId = values[def.primaryId];
  if (typeof requestedId === 'string' && ctx.store.get(def.logicalName, requestedId)) throw duplicateKey();
  const row = ctx.store.insert(def, values, ctx.userId, typeof requestedId === 'string' ? requestedId : undefined);
  if (wantsRepresentation(req)) return representation(ctx, req, def, row, 201);
  return { status: 204, headers: { 'odata-entityid': entityUrl(ctx, def, row.id) } };
}

function list(ctx: ApiContext, req: ApiRequest, def: EntityDef): ApiResponse {
  const options = readQueryOptions(req.query);
  const select = selectedColumns(def, options.select);
  const shape = recordShape(def);
  const rows = orderRows(filterRows(ctx.store.rows(def.logicalName), options.filter, shape), options.orderBy, shape);
  const headers: Record<string, string> = { 'content-type': JSON_STREAMING };
  const applied: string[] = [];

  const requestedPage = maxPageSize(req);
  const pageSize = Math.min(requestedPage ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  if (requestedPage !== undefined) applied.push(`odata.maxpagesize=${requestedPage}`);

  let page: typeof rows;
  let nextLink: string | undefined;
  if (options.top !== undefined) {
    page = rows.slice(0, Math.min(options.top, MAX_PAGE_SIZE));
  } else {
    const cookie = options.skipToken ? readPagingCookie(options.skipToken) : { page: 1, lastId: undefined };
    const after = cookie.lastId ? rows.findIndex((r) => r.id === cookie.lastId) + 1 : 0;
    const start = after > 0 ? after : (cookie.page - 1) * pageSize;
    page = rows.slice(start, start + pageSize);
    if (start + pageSize < rows.length && page.length > 0) {
      nextLink = nextPageLink(ctx, def, req.query, pagingCookie(def.primaryId, cookie.page + 1, page[0]!.id, page[page.length - 1]!.id));
    }
  }

  const { filter, applied: annotations } = annotationFilter(req.headers.prefer);
  if (annotations) applied.push(annotations);
  if (applied.length) headers['preference-applied'] = applied.join(',');
  const nameOf = nameResolver(ctx);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, def, options.select) };
  if (options.count) body['@odata.count'] = Math.min(rows.length, MAX_PAGE_SIZE);
  body.value = page.map((row) => serializeRecord(def, row, select, { annotate: filter, nameOf }));
  if (nextLink) body['@odata.nextLink'] = nextLink;
  return { status: 200, headers, body };
}

function maxPageSize(req: ApiRequest): number | undefined {
  for (const p of preferences(req)) {
    const m = /^odata\.maxpagesize=(\d+)$/i.exec(p);
    if (m && Number(m[1]) > 0) return Number(m[1]);
  }
  return undefined;
}

/** The next page's URL: the same query with a new `$skiptoken`, system option names left readable as Dataverse leaves them. */
function nextPageLink(ctx: ApiContext, def: EntityDef, query: URLSearchParams, cookie: string): string {
  const parts = [...query.entries()]
    .filter(([k]) => k !== '$skiptoken')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${encodeURIComponent(cookie)}`);
  return `${ctx.apiBase}/${def.entitySetName}?${parts.join('&')}`;
}

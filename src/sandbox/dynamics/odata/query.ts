import { queryError } from '../errors.js';
import { compare, matches, parseFilter, type FilterExpr } from './filter.js';

/** Reads and checks the system query options of a collection request. */
export interface QueryOptions {
  select?: string[];
  filter?: string;
  orderBy: { name: string; desc: boolean }[];
  top?: number;
  count: boolean;
  skipToken?: string;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$skiptoken']);
/** FetchXML and saved or personal views, which Dataverse takes instead of OData options. */
const NAMED_QUERIES = new Set(['fetchXml', 'savedQuery', 'userQuery']);

export function readQueryOptions(params: URLSearchParams): QueryOptions {
  for (const key of params.keys()) {
    if (key === '$skip') throw queryError('The query parameter $skip is not supported');
    if (key === '$expand') throw queryError('The sandbox does not support $expand; retrieve related rows with a second query.');
    // Dataverse runs these as other query languages; the sandbox has none of them, and answering
    // every row as if unfiltered would read as a match.
    if (NAMED_QUERIES.has(key)) throw queryError(`The query parameter ${key} is not supported`);
    if (key.startsWith('$') && !SUPPORTED.has(key)) throw queryError(`The query parameter ${key} is not supported`);
  }
  const topText = params.get('$top');
  let top: number | undefined;
  if (topText !== null) {
    if (!/^\d+$/.test(topText)) throw queryError(`Invalid value '${topText}' for $top query option found. The $top query option requires a non-negative integer value.`);
    top = Number(topText);
  }
  const countText = params.get('$count');
  if (countText !== null && countText !== 'true' && countText !== 'false') {
    throw queryError(`'${countText}' is not a valid count option.`);
  }
  const orderText = params.get('$orderby');
  const orderBy = (orderText ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m) throw queryError(`Syntax error at position 0 in '${part}'.`);
      return { name: m[1]!, desc: (m[2] ?? '').toLowerCase() === 'desc' };
    });
  const selectText = params.get('$select');
  return {
    select: selectText === null ? undefined : selectText.split(',').map((s) => s.trim()).filter(Boolean),
    filter: params.get('$filter') ?? undefined,
    orderBy,
    top,
    count: countText === 'true',
    skipToken: params.get('$skiptoken') ?? undefined,
  };
}

/** How a query reads a kind of row (table rows, metadata definitions). */
export interface RowShape<T> {
  /** The Edm type of a property, or throws the vendor's unknown-property error. */
  typeOf(name: string): string;
  valueOf(row: T, name: string): string | number | boolean | null;
}

export function filterRows<T>(rows: T[], filter: string | undefined, shape: RowShape<T>): T[] {
  if (filter === undefined) return rows;
  if (filter.trim() === '') throw queryError(`Expression expected at position 0 in ''.`);
  const expr: FilterExpr = parseFilter(filter, (name) => shape.typeOf(name));
  return rows.filter((row) => matches(expr, (name) => shape.valueOf(row, name)));
}

/** Sorts like SQL Server: nulls first ascending, strings without regard to case. */
export function orderRows<T>(rows: T[], orderBy: QueryOptions['orderBy'], shape: RowShape<T>): T[] {
  if (orderBy.length === 0) return rows;
  for (const o of orderBy) shape.typeOf(o.name);
  return [...rows].sort((a, b) => {
    for (const o of orderBy) {
      const c = compare(shape.valueOf(a, o.name), shape.valueOf(b, o.name));
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
}

/**
 * Dataverse's `$skiptoken` is a paging cookie naming the last row of the previous page;
 * the next page starts after that row.
 */
export function pagingCookie(primaryId: string, nextPage: number, first: string, last: string): string {
  const inner = `<cookie page="${nextPage - 1}"><${primaryId} last="{${last.toUpperCase()}}" first="{${first.toUpperCase()}}" /></cookie>`;
  return `<cookie pagenumber="${nextPage}" pagingcookie="${encodeURIComponent(encodeURIComponent(inner))}" istracking="False" />`;
}

export function readPagingCookie(token: string): { page: number; lastId?: string } {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  if (!page) throw queryError(`The $skiptoken value is not valid.`);
  let lastId: string | undefined;
  try {
    const inner = cookie ? decodeURIComponent(decodeURIComponent(cookie[1]!)) : '';
    lastId = /last="\{([0-9A-Fa-f-]{36})\}"/.exec(inner)?.[1]?.toLowerCase();
  } catch {
    throw queryError(`The $skiptoken value is not valid.`);
  }
  return { page: Number(page[1]), lastId };
}

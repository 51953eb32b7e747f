import { HubSpotError } from './errors.js';
import type { PropertyDefinition } from './properties.js';
import { toIsoDateTime } from './properties.js';
import type { SearchableRecord } from './store.js';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

/** HubSpot's search limits. */
export const SEARCH_LIMITS = { maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18, maxLimit: 200, maxResults: 10_000 } as const;

type Lookup = (name: string) => PropertyDefinition | undefined;

/** Filter groups are ORed, filters inside a group ANDed; an empty list matches everything. */
export function matchesGroups(row: SearchableRecord, groups: { filters: SearchFilter[] }[], lookup: Lookup): boolean {
  if (groups.length === 0) return true;
  return groups.some((g) => g.filters.every((f) => matchesFilter(row, f, lookup(f.propertyName))));
}

export function checkGroups(groups: { filters: SearchFilter[] }[], lookup: Lookup): void {
  if (groups.length > SEARCH_LIMITS.maxGroups) throw HubSpotError.of(400, `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.maxGroups}.`);
  const total = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.some((g) => g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup) || total > SEARCH_LIMITS.maxFilters)
    throw HubSpotError.of(400, `Too many filters: at most ${SEARCH_LIMITS.maxFiltersPerGroup} per group and ${SEARCH_LIMITS.maxFilters} in all.`);
  for (const f of groups.flatMap((g) => g.filters)) {
    if (!lookup(f.propertyName)) throw HubSpotError.of(400, `Property ${f.propertyName} does not exist`, { context: { propertyName: [f.propertyName] } });
    const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(f.operator);
    if (needsValue && f.value === undefined) throw HubSpotError.of(400, `Filter on ${f.propertyName} with operator ${f.operator} needs a value`);
    if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !f.values) throw HubSpotError.of(400, `Filter on ${f.propertyName} with operator ${f.operator} needs values`);
  }
}

function matchesFilter(row: SearchableRecord, f: SearchFilter, def: PropertyDefinition | undefined): boolean {
  const actual = row.properties[f.propertyName];
  const kind = def?.type === 'number' ? 'number' : def?.type === 'datetime' || def?.type === 'date' ? 'time' : 'text';
  const cmp = (wanted: string | undefined) => (actual === undefined || wanted === undefined ? undefined : compare(actual, wanted, kind));
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'EQ':
      return cmp(f.value) === 0;
    case 'NEQ':
      return cmp(f.value) !== 0;
    case 'LT':
      return (cmp(f.value) ?? 0) < 0 && actual !== undefined;
    case 'LTE':
      return (cmp(f.value) ?? 1) <= 0;
    case 'GT':
      return (cmp(f.value) ?? 0) > 0;
    case 'GTE':
      return (cmp(f.value) ?? -1) >= 0;
    case 'BETWEEN':
      return (cmp(f.value) ?? -1) >= 0 && (cmp(f.highValue) ?? 1) <= 0;
    case 'IN':
      return (f.values ?? []).some((v) => cmp(v) === 0);
    case 'NOT_IN':
      return !(f.values ?? []).some((v) => cmp(v) === 0);
    case 'CONTAINS_TOKEN':
      return actual !== undefined && containsToken(actual, f.value ?? '');
    case 'NOT_CONTAINS_TOKEN':
      return actual === undefined || !containsToken(actual, f.value ?? '');
    default:
      throw HubSpotError.of(400, `Unknown filter operator ${f.operator}`);
  }
}

/** Text compares case-insensitively, as HubSpot's index does; numbers and dates by value. */
function compare(actual: string, wanted: string, kind: 'number' | 'time' | 'text'): number {
  if (kind === 'number') return Math.sign(Number(actual) - Number(wanted));
  if (kind === 'time') return Math.sign(timeOf(actual) - timeOf(wanted));
  const a = actual.toLowerCase();
  const b = wanted.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

function timeOf(value: string): number {
  const iso = toIsoDateTime(value);
  return iso ? Date.parse(iso) : Number.NaN;
}

/** A whole word of the value, or a `*` wildcard pattern over the whole value. */
function containsToken(actual: string, token: string): boolean {
  const t = token.toLowerCase();
  const a = actual.toLowerCase();
  if (t.includes('*')) {
    const pattern = t.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`).test(a) || a.split(/\s+/).some((w) => new RegExp(`^${pattern}$`).test(w));
  }
  return a === t || a.split(/[\s,;:()]+/).includes(t);
}

/** The free-text `query`: a prefix of any word of any value. */
export function matchesQuery(row: SearchableRecord, query: string | undefined): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return Object.values(row.properties).some((v) => v.toLowerCase().split(/[\s@.]+/).some((w) => w.startsWith(q)) || v.toLowerCase().startsWith(q));
}

export function sortRows(rows: SearchableRecord[], sorts: SearchSort[], lookup: Lookup): SearchableRecord[] {
  const sort = sorts[0];
  const byId = (a: SearchableRecord, b: SearchableRecord) => Number(a.id) - Number(b.id);
  if (!sort) return [...rows].sort(byId);
  const def = lookup(sort.propertyName);
  const kind = def?.type === 'number' ? 'number' : def?.type === 'datetime' ? 'time' : 'text';
  const sign = sort.direction === 'DESCENDING' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.properties[sort.propertyName];
    const y = b.properties[sort.propertyName];
    if (x === undefined || y === undefined) return x === y ? byId(a, b) : x === undefined ? 1 : -1; // unset values last
    return compare(x, y, kind) * sign || byId(a, b);
  });
}

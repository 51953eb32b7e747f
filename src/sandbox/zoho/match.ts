import type { ZohoRecord } from './state.js';

/**
 * Comparisons shared by search criteria and COQL: text compares case-insensitively,
 * a lookup compares by its id (or `Field.name` / `Field.id` / `Owner.email`).
 */
export type Comparator = 'equals' | 'not_equal' | 'starts_with' | 'like' | 'not_like' | 'in' | 'not_in' | 'greater_than' | 'less_than' | 'greater_equal' | 'less_equal' | 'is_null' | 'is_not_null';

export function fieldValue(rec: ZohoRecord, path: string): unknown {
  if (path === 'id') return rec.id;
  const [head, sub] = path.split('.', 2) as [string, string | undefined];
  const v = rec.fields[head];
  if (v && typeof v === 'object') return (v as Record<string, unknown>)[sub ?? 'id'];
  return sub ? undefined : v;
}

const norm = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v.toLowerCase() : v);

function order(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function compare(actual: unknown, op: Comparator, expected: unknown): boolean {
  const a = norm(actual);
  switch (op) {
    case 'is_null':
      return a === null || a === '';
    case 'is_not_null':
      return !(a === null || a === '');
    case 'in':
      return (expected as unknown[]).some((e) => norm(e) === a || String(norm(e)) === String(a));
    case 'not_in':
      return !(expected as unknown[]).some((e) => norm(e) === a || String(norm(e)) === String(a));
  }
  const e = norm(expected);
  if (op === 'not_like') return a === null || !likePattern(String(e)).test(String(a));
  if (a === null) return op === 'not_equal' ? e !== null : false;
  switch (op) {
    case 'equals':
      return a === e || String(a) === String(e);
    case 'not_equal':
      return !(a === e || String(a) === String(e));
    case 'starts_with':
      return String(a).startsWith(String(e));
    case 'like':
      return likePattern(String(e)).test(String(a));
    case 'greater_than':
      return order(a, e) > 0;
    case 'less_than':
      return order(a, e) < 0;
    case 'greater_equal':
      return order(a, e) >= 0;
    case 'less_equal':
      return order(a, e) <= 0;
  }
}

/** COQL's LIKE: `%` is any run of characters; matching ignores case. */
function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A where clause or search criteria as a tree. */
export type Condition =
  | { kind: 'cmp'; field: string; op: Comparator; value: unknown }
  | { kind: 'and' | 'or'; parts: Condition[] };

export function evaluate(cond: Condition, rec: ZohoRecord): boolean {
  if (cond.kind === 'cmp') return compare(fieldValue(rec, cond.field), cond.op, cond.value);
  return cond.kind === 'and' ? cond.parts.every((p) => evaluate(p, rec)) : cond.parts.some((p) => evaluate(p, rec));
}

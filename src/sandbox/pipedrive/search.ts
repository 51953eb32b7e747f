import { badRequest } from './errors.js';

/**
 * Pipedrive's search semantics, simplified: the term must have 2 characters (1
 * with exact_match); exact_match compares whole values case-insensitively,
 * otherwise a value matches when it contains the term. Phones also match on
 * digits alone. The score ranks exact over prefix over substring matches.
 */
export interface SearchTerm {
  term: string;
  exact: boolean;
  fields: Set<string> | null;
}

export function parseSearch(q: Record<string, unknown>, allowed: string[]): SearchTerm {
  const term = typeof q.term === 'string' ? q.term.trim() : '';
  const exact = q.exact_match === true || q.exact_match === 'true' || q.exact_match === '1';
  if (term.length < (exact ? 1 : 2)) throw badRequest('Search term must be at least 2 characters long (1 with exact_match)');
  let fields: Set<string> | null = null;
  if (typeof q.fields === 'string' && q.fields !== '') {
    const list = q.fields.split(',').map((f) => f.trim());
    const bad = list.find((f) => !allowed.includes(f));
    if (bad) throw badRequest(`Invalid field "${bad}". Allowed fields: ${allowed.join(', ')}`);
    fields = new Set(list);
  }
  return { term, exact, fields };
}

const digits = (s: string) => s.replace(/\D/g, '');

/** The best score of `values` against the term, or 0 when none matches. */
export function score(search: SearchTerm, values: string[], phone = false): number {
  const t = search.term.toLowerCase();
  let best = 0;
  for (const raw of values) {
    const v = raw.toLowerCase();
    const dv = phone ? digits(raw) : '';
    const dt = phone ? digits(search.term) : '';
    if (v === t || (phone && dt !== '' && dv === dt)) best = Math.max(best, 1);
    else if (search.exact) continue;
    else if (v.startsWith(t) || (phone && dt.length >= 2 && dv.startsWith(dt))) best = Math.max(best, 0.7);
    else if (v.includes(t) || (phone && dt.length >= 2 && dv.includes(dt))) best = Math.max(best, 0.3);
  }
  return best;
}

export function wants(search: SearchTerm, field: string): boolean {
  return search.fields === null || search.fields.has(field);
}

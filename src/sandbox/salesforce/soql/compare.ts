import { normalizeId } from '../ids.js';
import type { FieldDef } from '../schema/index.js';
import { parseDateTime } from '../values.js';
import type { Literal } from './parser.js';

/**
 * SOQL comparison semantics: text compares case-insensitively, ids in either length,
 * dates and datetimes by instant, and date literals (TODAY, LAST_N_DAYS:n) as day ranges.
 */
const DAY = 86_400_000;

/** Orders two stored values of one field; nulls are handled by the caller. */
export function order(field: FieldDef, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (field.type === 'datetime' || field.type === 'date') return (instant(a) ?? 0) - (instant(b) ?? 0);
  const x = comparable(field, a);
  const y = comparable(field, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function comparable(field: FieldDef, v: unknown): string {
  const s = String(v);
  return field.type === 'id' || field.type === 'reference' ? (normalizeId(s) ?? s) : s.toLowerCase();
}

function instant(v: unknown): number | undefined {
  return typeof v === 'string' ? parseDateTime(v) : undefined;
}

function applyOp(op: string, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

export function matches(field: FieldDef, actual: unknown, op: string, literal: Literal): boolean {
  const isNull = actual === null || actual === undefined;
  if (literal.kind === 'null') return op === '=' ? isNull : op === '!=' ? !isNull : false;
  if (isNull) return op === '!=';
  switch (literal.kind) {
    case 'dateLiteral':
      return inRange(op, instant(actual), dateRange(literal.name, literal.n), literal.name);
    case 'datetime': {
      const wanted = field.type === 'date' ? parseDateTime(literal.text.slice(0, 10)) : parseDateTime(literal.text);
      return applyOp(op, (instant(actual) ?? 0) - (wanted ?? 0));
    }
    case 'number':
      return applyOp(op, Number(actual) - literal.value);
    case 'boolean':
      return applyOp(op, actual === literal.value ? 0 : 1);
    default:
      return applyOp(op, order(field, actual, literal.value));
  }
}

export function like(actual: unknown, pattern: string): boolean {
  if (typeof actual !== 'string') return false;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i] as string);
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, 'is').test(actual);
}

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `> TODAY` means after today, but `> LAST_N_DAYS:n` means within those days and
 * `< NEXT_N_DAYS:n` before their end: the open-ended literals compare with their far boundary.
 */
function inRange(op: string, v: number | undefined, [start, end]: [number, number], name: string): boolean {
  if (v === undefined) return false;
  if (name === 'LAST_N_DAYS' && (op === '>' || op === '>=')) return v >= start;
  if (name === 'NEXT_N_DAYS' && (op === '<' || op === '<=')) return v < end;
  switch (op) {
    case '=':
      return v >= start && v < end;
    case '!=':
      return v < start || v >= end;
    case '<':
      return v < start;
    case '<=':
      return v < end;
    case '>':
      return v >= end;
    default:
      return v >= start;
  }
}

/** The [start, end) instants of a date literal, in UTC (the org's time zone here). */
export function dateRange(name: string, n = 1, now = Date.now()): [number, number] {
  const today = now - (now % DAY);
  const d = new Date(today);
  const month = (offset: number) => [Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 1)] as [number, number];
  const year = (offset: number) => [Date.UTC(d.getUTCFullYear() + offset, 0, 1), Date.UTC(d.getUTCFullYear() + offset + 1, 0, 1)] as [number, number];
  const weekStart = today - d.getUTCDay() * DAY; // weeks start on Sunday in the en_US locale
  switch (name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY, weekStart];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'THIS_MONTH':
      return month(0);
    case 'LAST_MONTH':
      return month(-1);
    case 'NEXT_MONTH':
      return month(1);
    case 'THIS_YEAR':
      return year(0);
    case 'LAST_YEAR':
      return year(-1);
    default:
      return year(1);
  }
}

import { badRequest } from './errors.js';
import type { ContactPoint } from './model.js';
import type { PipedriveState } from './state.js';

export type ApiVersion = 1 | 2;

/**
 * Careful reading of a request body. v1 is lenient the way Pipedrive's v1 is
 * (numbers and flags as strings, form bodies); v2 is strict and names the field
 * in "Validation failed: <field>: <why>".
 */
export class BodyReader {
  readonly body: Record<string, unknown>;

  constructor(
    raw: unknown,
    readonly version: ApiVersion,
  ) {
    if (raw === undefined || raw === null) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(version === 2 ? 'Validation failed: body: Expected object' : 'Invalid request body');
    this.body = raw as Record<string, unknown>;
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  invalid(key: string, why: string): Error {
    return badRequest(this.version === 2 ? `Validation failed: ${key}: ${why}` : `Invalid value for ${key}: ${why}`);
  }

  string(key: string): string | null | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return v;
    if (typeof v === 'string') return v;
    if (this.version === 1 && typeof v === 'number') return String(v);
    throw this.invalid(key, 'Expected string');
  }

  /** A required, non-empty string; `missing` is Pipedrive's v1 wording. */
  requiredString(key: string, missing: string): string {
    const v = this.string(key);
    if (v === undefined || v === null || v.trim() === '') throw badRequest(this.version === 2 ? `Validation failed: ${key}: Required` : missing);
    return v.trim();
  }

  number(key: string): number | null | undefined {
    const v = this.body[key];
    if (v === undefined || v === null || (this.version === 1 && v === '')) return v === '' ? null : v;
    const n = typeof v === 'number' ? v : this.version === 1 && typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw this.invalid(key, 'Expected number');
    return n;
  }

  int(key: string): number | null | undefined {
    const n = this.number(key);
    if (n !== undefined && n !== null && !Number.isInteger(n)) throw this.invalid(key, 'Expected integer');
    return n;
  }

  flag(key: string): boolean | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (this.version === 1 && (v === 0 || v === 1 || v === '0' || v === '1' || v === 'true' || v === 'false')) return v === 1 || v === '1' || v === 'true';
    throw this.invalid(key, 'Expected boolean');
  }

  date(key: string): string | null | undefined {
    const v = this.string(key);
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw this.invalid(key, 'Expected a date as YYYY-MM-DD');
    return v === '' ? null : v;
  }

  /** Times and durations are kept as HH:MM; v2 sends HH:MM:SS. */
  clock(key: string): string | null | undefined {
    const v = this.string(key);
    if (!v) return v === '' ? null : v;
    const m = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(v);
    if (!m) throw this.invalid(key, 'Expected a time as HH:MM');
    return `${m[1]}:${m[2]}`;
  }

  visibleTo(key = 'visible_to'): number | undefined {
    const n = this.int(key) ?? undefined;
    if (n !== undefined && ![1, 3, 5, 7].includes(n)) throw this.invalid(key, 'Expected one of 1, 3, 5, 7');
    return n;
  }

  intList(key: string): number[] | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return v === null ? [] : undefined;
    const list = Array.isArray(v) ? v : this.version === 1 && typeof v === 'string' ? v.split(',') : null;
    const ids = list?.map((x) => (typeof x === 'number' ? x : this.version === 1 ? Number(x) : NaN));
    if (!ids || ids.some((x) => !Number.isInteger(x))) throw this.invalid(key, 'Expected an array of integers');
    return ids;
  }

  /** E-mails or phones: v1 takes a string, strings or objects; v2 takes objects. */
  contacts(key: string, defaultLabel: string): ContactPoint[] | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (v === null || v === '') return [];
    const list = Array.isArray(v) ? v : this.version === 1 && typeof v === 'string' ? [v] : null;
    if (!list) throw this.invalid(key, 'Expected an array');
    const points = list.map((item, i): ContactPoint => {
      if (typeof item === 'string' && this.version === 1) return { value: item, primary: false, label: defaultLabel };
      if (!item || typeof item !== 'object') throw this.invalid(`${key}.${i}`, 'Expected object');
      const o = item as Record<string, unknown>;
      if (typeof o.value !== 'string') throw this.invalid(`${key}.${i}.value`, 'Required');
      const primary = o.primary === true || o.primary === 'true';
      return { value: o.value, primary, label: typeof o.label === 'string' ? o.label : defaultLabel };
    });
    const real = points.filter((p) => p.value !== '');
    if (real.length && !real.some((p) => p.primary)) real[0]!.primary = true;
    return real;
  }
}

/** Ids that must point at existing records; Pipedrive refuses dangling links. */
export function checkRefs(state: PipedriveState, r: BodyReader, refs: { user?: string[]; person?: string[]; org?: string[]; deal?: string[] }) {
  const out: Record<string, number | null> = {};
  const check = (keys: string[] | undefined, exists: (id: number) => boolean, what: string) => {
    for (const key of keys ?? []) {
      const id = r.int(key);
      if (id === undefined) continue;
      if (id !== null && !exists(id)) throw badRequest(r.version === 2 ? `Validation failed: ${key}: ${what} with id ${id} does not exist` : `${what} not found`);
      out[key] = id;
    }
  };
  check(refs.user, (id) => !!state.user(id), 'User');
  check(refs.person, (id) => !!state.persons.get(String(id)), 'Person');
  check(refs.org, (id) => !!state.organizations.get(String(id)), 'Organization');
  check(refs.deal, (id) => !!state.deals.get(String(id)), 'Deal');
  return out;
}

export function splitName(name: string): { first_name: string; last_name: string | null } {
  const [first, ...rest] = name.trim().split(/\s+/);
  return { first_name: first ?? name, last_name: rest.length ? rest.join(' ') : null };
}

import { isValidPhoneNumber } from 'libphonenumber-js';
import { validation, type ErrorDetail } from './errors.js';
import type { AutoChatState } from './state.js';

/**
 * Body checks shared by the routes: every problem is collected and reported at
 * once as 422 validation_failed, each detail naming its field.
 */
export class BodyCheck {
  readonly details: ErrorDetail[] = [];

  constructor(
    readonly body: Record<string, unknown>,
    readonly prefix = '',
  ) {}

  static of(raw: unknown, prefix = ''): BodyCheck {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      const c = new BodyCheck({}, prefix);
      c.fail(prefix.replace(/\.$/, '') || 'body', 'must be a JSON object');
      return c;
    }
    return new BodyCheck(raw as Record<string, unknown>, prefix);
  }

  fail(field: string, message: string): void {
    this.details.push({ field: field.startsWith(this.prefix) ? field : `${this.prefix}${field}`, message });
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  only(allowed: string[]): void {
    for (const key of Object.keys(this.body)) if (!allowed.includes(key)) this.fail(key, 'is not a known property');
  }

  string(key: string, opts: { required?: boolean; max?: number; nullable?: boolean } = {}): string | null | undefined {
    const v = this.body[key];
    if (v === undefined || (v === null && opts.nullable !== false && !opts.required)) {
      if (opts.required) this.fail(key, 'is required');
      return v as null | undefined;
    }
    if (typeof v !== 'string') return void this.fail(key, 'must be a string');
    const trimmed = v.trim();
    if (opts.required && trimmed === '') return void this.fail(key, 'must not be empty');
    if (opts.max && trimmed.length > opts.max) return void this.fail(key, `must be at most ${opts.max} characters`);
    return trimmed === '' ? null : trimmed;
  }

  email(key: string): string | null | undefined {
    const v = this.string(key, { max: 254 });
    if (v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return void this.fail(key, 'must be a valid e-mail address');
    return v?.toLowerCase() ?? v;
  }

  phone(key: string): string | null | undefined {
    const v = this.string(key, { max: 16 });
    if (v && !(/^\+[1-9]\d{6,14}$/.test(v) && isValidPhoneNumber(v))) return void this.fail(key, 'must be a valid phone number in E.164 format, e.g. +14155550123');
    return v;
  }

  timestamp(key: string): string | null | undefined {
    const v = this.string(key);
    if (v && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))))
      return void this.fail(key, 'must be an ISO 8601 date-time with a time zone, e.g. 2025-03-01T14:30:00Z');
    return v && new Date(v).toISOString();
  }

  userRef(state: AutoChatState, key: string): string | null | undefined {
    const v = this.string(key);
    if (v && !state.users.get(v)) return void this.fail(key, `no user with id ${v}`);
    return v;
  }

  /** Custom field values, checked against the account's field definitions. */
  customFields(state: AutoChatState, key = 'fields'): Record<string, unknown> | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return void this.fail(key, 'must be an object');
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(v)) {
      const field = state.fieldByKey(name);
      const at = `${key}.${name}`;
      if (!field) this.fail(at, 'is not a defined custom field');
      else if (value === null) out[name] = null;
      else if (field.type === 'text' && typeof value !== 'string') this.fail(at, 'must be a string');
      else if (field.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) this.fail(at, 'must be a number');
      else if (field.type === 'boolean' && typeof value !== 'boolean') this.fail(at, 'must be true or false');
      else if (field.type === 'date' && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) this.fail(at, 'must be a date as YYYY-MM-DD');
      else if (field.type === 'picklist' && !field.options?.includes(value as string)) this.fail(at, `must be one of: ${field.options?.join(', ')}`);
      else out[name] = value;
    }
    return out;
  }

  /** Throws the collected problems, if any. */
  done(): void {
    if (this.details.length) throw validation(this.details);
  }
}

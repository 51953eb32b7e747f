import type { z } from 'zod';
import { CrmError } from '../errors.js';

/**
 * What a CRM answered, parsed with the vendor's schema (one place for every connector). An
 * answer in another shape is not something a retry fixes (the URL is not the CRM's API, or the
 * vendor changed a method), so it is a `malformed` failure that names the CRM, the call and the
 * first field that was off; `hint` says what the admin can check.
 */
export function parseVendorAnswer<S extends z.ZodType>(crm: string, schema: S, body: unknown, what: string, opts: { at?: string[]; hint?: string } = {}): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [...(opts.at ?? []), ...(issue?.path ?? []).map(String)];
  const where = path.length ? path.join('.') : 'the answer';
  const hint = opts.hint ? `; ${opts.hint}` : '';
  throw new CrmError('malformed', `${crm} answered ${what} in an unexpected shape (${where}: ${issue?.message ?? 'invalid'})${hint}.`, { body });
}

import { z } from 'zod';
import type { CanonicalContact, OutboundContext } from '../outbound.js';
import { anyOf, callOdoo, ODOO, searchRead } from './api.js';
import { createdIds, rowWith, Text } from './schemas.js';

export type Values = Record<string, string | number | boolean>;

/**
 * A partner's values from what we know, and only that (the merge rule): the first e-mail and
 * phone are the primary ones, a second phone is the mobile. `name` is required on create, so
 * a new partner without a name gets the fallback name (PRODUCT.md S6).
 */
export function partnerValues(c: CanonicalContact, refs: { countryId?: number; companyId?: number }): Values {
  const v: Values = {};
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') v[name] = value;
  };
  set('name', [c.firstName, c.lastName].filter(Boolean).join(' ') || undefined);
  set('email', c.emails[0]);
  set('phone', c.phones[0]);
  set('mobile', c.phones[1]);
  set('street', c.address?.street);
  set('city', c.address?.city);
  set('zip', c.address?.zip);
  set('country_id', refs.countryId);
  set('parent_id', refs.companyId);
  if (c.ownerId) set('user_id', Number(c.ownerId));
  return { ...v, ...c.properties };
}

/** Country names or ISO codes -> res.country ids (kept per connection; unknown ones are left out). */
export async function countryIds(ctx: OutboundContext, names: string[]): Promise<Map<string, number>> {
  const cache = (ctx.cache.get('odoo:countries') as Map<string, number | null> | undefined) ?? new Map<string, number | null>();
  ctx.cache.set('odoo:countries', cache);
  const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()))].filter((n) => n && !cache.has(n));
  if (wanted.length > 0) {
    const rows = await searchRead(ctx, 'res.country', anyOf(wanted.flatMap((n) => [['code', '=ilike', n], ['name', '=ilike', n]])), ['code', 'name'], rowWith({ code: Text, name: z.string() }));
    for (const n of wanted) cache.set(n, rows.find((r) => String(r.code).toLowerCase() === n || r.name.toLowerCase() === n)?.id ?? null);
  }
  const out = new Map<string, number>();
  for (const n of names) {
    const id = cache.get(n.trim().toLowerCase());
    if (id) out.set(n, id);
  }
  return out;
}

type SeenCompanies = { at: number; ids: Map<string, number> };
const SEEN = 'odoo:company-names';

/**
 * Keeps company partners by lower-cased name for the pass being written (ODOO.companyNamesTtlMs):
 * matching looks the pass's company names up in its one search, so the upserts of its batches of
 * 100 need not search them again, each. The oldest company of a name wins, as in companyIds.
 */
export function rememberCompanies(ctx: OutboundContext, rows: { id: number; name: unknown }[]): void {
  const seen = freshCompanies(ctx) ?? { at: Date.now(), ids: new Map<string, number>() };
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    const name = typeof r.name === 'string' ? r.name.trim().toLowerCase() : '';
    if (name && !seen.ids.has(name)) seen.ids.set(name, r.id);
  }
  ctx.cache.set(SEEN, seen);
}

function freshCompanies(ctx: OutboundContext): SeenCompanies | undefined {
  const seen = ctx.cache.get(SEEN) as SeenCompanies | undefined;
  return seen && Date.now() - seen.at < ODOO.companyNamesTtlMs ? seen : undefined;
}

/** The domain of the company partners with one of these names (=ilike: case does not matter). */
export const companiesNamed = (names: string[]) => ['&', ['is_company', '=', true], ...anyOf(names.map((n) => ['name', '=ilike', n]))];

/**
 * Company names -> company partners (is_company), creating the missing ones. Found by name
 * first (in what matching found for this pass, else by a search), so a replay after a lost answer
 * finds the company it made instead of doubling it.
 */
export async function companyIds(ctx: OutboundContext, names: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
  const out = new Map<string, number>();
  if (wanted.length === 0) return out;
  const seen = freshCompanies(ctx)?.ids;
  for (const n of wanted) {
    const id = seen?.get(n.toLowerCase());
    if (id !== undefined) out.set(n, id);
  }
  const unseen = wanted.filter((n) => !out.has(n));
  if (unseen.length > 0) {
    const rows = await searchRead(ctx, 'res.partner', companiesNamed(unseen), ['name'], rowWith({ name: z.string() }), { order: 'id asc' });
    for (const n of unseen) {
      const hit = rows.find((r) => r.name.toLowerCase() === n.toLowerCase());
      if (hit) out.set(n, hit.id);
    }
    rememberCompanies(ctx, rows);
  }
  const missing = wanted.filter((n) => !out.has(n));
  if (missing.length > 0) {
    const ids = await callOdoo(ctx, 'res.partner', 'create', { vals_list: missing.map((name) => ({ name, is_company: true })) }, false, createdIds(missing.length));
    // createdIds holds one id per name sent.
    missing.forEach((n, i) => out.set(n, ids[i]!));
    rememberCompanies(ctx, missing.map((name, i) => ({ id: ids[i]!, name })));
  }
  return out;
}

import { z } from 'zod';
import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { phoneMatchFits } from '../phone-match.js';
import { anyOf, chunks, ODOO, searchRead } from './api.js';
import { PARTNER_KEY } from './fields.js';
import { companiesNamed, rememberCompanies } from './partner-values.js';
import { rowWith, Text } from './schemas.js';

/** What matching compares; e-mail and phones are compared as text, whatever else they are. */
const Partner = rowWith({ name: Text, is_company: z.boolean() });

const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');
/** Odoo keeps phones as typed ("+34 600 11 12 22"); compare digits with the plus. */
const phoneNorm = (s: unknown) => (typeof s === 'string' ? s.replace(/[^\d+]/g, '') : '');

/**
 * Finds each client's person partner (not a company): by our key, then by e-mail (=ilike, so case
 * does not matter), then by phone in E.164 on phone or mobile (a partner with no e-mail or one of
 * the client's: phoneMatchFits). One search per chunk asks for all
 * three at once and the order of preference is applied here, so a client found by key or e-mail is
 * never taken by phone; the oldest partner wins so every run picks the same one. The same search
 * finds the company partners named by the clients, kept for the pass's upserts (rememberCompanies).
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const fields = ['name', 'is_company', 'email', 'phone', 'mobile', PARTNER_KEY.field];
  for (const chunk of chunks(contacts, ODOO.matchChunk)) {
    const emails = [...new Set(chunk.flatMap((c) => c.emails.map(norm)).filter(Boolean))];
    const phones = [...new Set(chunk.flatMap((c) => c.phones))];
    const companies = [...new Set(chunk.flatMap((c) => (c.company?.trim() && !c.companyRef ? [c.company.trim()] : [])))];
    const leaves = [...PARTNER_KEY.domain(chunk.map((c) => c.clientId)), ...emails.map((e) => ['email', '=ilike', e]), ...(phones.length ? [['phone', 'in', phones], ['mobile', 'in', phones]] : [])];
    const persons = ['&', ['is_company', '=', false], ...anyOf(leaves)];
    const domain = companies.length ? ['|', ...persons, ...companiesNamed(companies)] : persons;
    const rows = await searchRead(ctx, 'res.partner', domain, fields, Partner, { order: 'id asc' });
    const people = rows.filter((r) => !r.is_company);
    for (const c of chunk) {
      const hit =
        people.find((r) => PARTNER_KEY.read(r.ref) === c.clientId) ??
        c.emails.map(norm).map((e) => people.find((r) => norm(r.email) === e)).find(Boolean) ??
        c.phones.map((p) => people.find((r) => (phoneNorm(r.phone) === p || phoneNorm(r.mobile) === p) && phoneMatchFits(c.emails, [r.email]))).find(Boolean);
      if (hit) found.set(c.clientId, { object: 'res.partner', id: String(hit.id) });
    }
    if (companies.length) rememberCompanies(ctx, rows.filter((r) => r.is_company && companies.some((n) => n.toLowerCase() === String(r.name).trim().toLowerCase())));
  }
  return found;
}

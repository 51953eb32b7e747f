import { z } from 'zod';
import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { chunks, criteriaValue, crmUrl, fetchZoho, ZOHO } from './api.js';
import { destinationOf } from './destination.js';

const SearchAnswer = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  info: z.object({ more_records: z.boolean().default(false) }).loose().optional(),
});

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/**
 * Finds each client's record in the destination module: by phone in international format
 * (E.164) on the chosen phone field first, as chat platforms know people by their number
 * (PRODUCT.md S4), then by e-mail (case-insensitive) for those still unmatched. Searches are
 * batched with `in` criteria. Zoho's search index lags writes by seconds: a record missed here
 * is found by the upsert's duplicate check instead, so it is updated, not doubled.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const d = await destinationOf(ctx);
  const found = new Map<string, CrmRef>();
  const pending = () => contacts.filter((c) => !found.has(c.clientId));
  if (d.fields.has(d.phoneField)) await matchBy(ctx, d.module, d.phoneField, pending(), (c) => c.phones, found);
  if (d.fields.has('Email')) await matchBy(ctx, d.module, 'Email', pending(), (c) => c.emails.map(norm), found);
  return found;
}

async function matchBy(ctx: OutboundContext, module: string, field: string, contacts: CanonicalContact[], values: (c: CanonicalContact) => string[], found: Map<string, CrmRef>): Promise<void> {
  const wanted = [...new Set(contacts.flatMap(values).filter(Boolean))];
  for (const chunk of chunks(wanted, ZOHO.searchChunk)) {
    const records = await search(ctx, module, field, chunk);
    for (const c of contacts) {
      if (found.has(c.clientId)) continue;
      // The contact's own order of values decides; of two records with one value, the oldest (lowest id) wins.
      for (const v of values(c)) {
        const hit = records.find((r) => norm(r[field]) === norm(v));
        if (hit) {
          found.set(c.clientId, { object: module, id: String(hit.id) });
          break;
        }
      }
    }
  }
}

async function search(ctx: OutboundContext, module: string, field: string, values: string[]): Promise<Record<string, unknown>[]> {
  const criteria = `(${field}:in:${values.map(criteriaValue).join(',')})`;
  const out: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const answer = await fetchZoho(ctx, { url: crmUrl(ctx, `/${module}/search`), query: { criteria, fields: `id,${field}`, per_page: ZOHO.pageSize, page } }, SearchAnswer);
    if (!answer) break; // 204: nothing (more) found
    out.push(...answer.data);
    if (!answer.info?.more_records) break;
  }
  return out.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
}

import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { coqlWhereIn, type InCondition } from './coql.js';
import { destinationOf } from './destination.js';

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/**
 * Finds each client's record in the destination module: by phone in international format
 * (E.164) on the chosen phone field first, as chat platforms know people by their number
 * (PRODUCT.md S4), then by e-mail (case-insensitive). Phones and e-mails of all the clients go
 * in one COQL query (up to 1,250 values per call, so a pass of 500 clients is one call, where
 * searching took one call per 50 values and field); the phone-first order is applied to the
 * rows. Zoho's index lags writes by seconds: a record missed here is found by the upsert's
 * duplicate check on Email, or for a client known by phone alone by upsertContacts' read of the
 * module's newest records, so it is updated, not doubled.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const d = await destinationOf(ctx);
  const found = new Map<string, CrmRef>();
  const ways: { field: string; values: (c: CanonicalContact) => string[] }[] = [];
  if (d.fields.has(d.phoneField)) ways.push({ field: d.phoneField, values: (c) => c.phones });
  if (d.fields.has('Email')) ways.push({ field: 'Email', values: (c) => c.emails.map(norm) });
  const conditions: InCondition[] = ways.map((w) => ({ field: w.field, values: contacts.flatMap(w.values) })).filter((c) => c.values.some(Boolean));
  if (!conditions.length) return found;

  const rows = await coqlWhereIn(ctx, d.module, ['id', ...conditions.map((c) => c.field)], conditions);
  // Of two records with one value, the oldest (lowest id) wins.
  rows.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  for (const { field, values } of ways) {
    for (const c of contacts) {
      if (found.has(c.clientId)) continue;
      // The contact's own order of values decides.
      for (const v of values(c)) {
        const hit = v && rows.find((r) => norm(r[field]) === norm(v));
        if (hit) {
          found.set(c.clientId, { object: d.module, id: String(hit.id) });
          break;
        }
      }
    }
  }
  return found;
}

import { z } from 'zod';
import type { CanonicalContact, OutboundContext } from '../outbound.js';
import { crmUrl, fetchZoho, ZOHO } from './api.js';
import { coqlWhereIn } from './coql.js';
import type { Destination } from './destination.js';

const Rows = z.object({ data: z.array(z.record(z.string(), z.unknown())) });

const digits = (v: unknown) => (typeof v === 'string' ? v.replace(/[^\d+]/g, '') : '');

/**
 * ClientId -> id of a record in the destination module that already has one of the client's
 * phones, for clients about to be created whom the upsert's duplicate check cannot find: Zoho
 * checks duplicates only on Email and unique fields, so a client known by phone alone would
 * be created twice when an earlier attempt saved it without our hearing. Looked for in the
 * module's newest records, read straight from the module (no search lag: what COQL may not
 * see yet), then through COQL for older ones. The oldest record (lowest id) with a phone wins,
 * as in matching.
 */
export async function recordsByPhone(ctx: OutboundContext, d: Destination, contacts: CanonicalContact[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const phones = contacts.flatMap((c) => c.phones).filter(Boolean);
  if (!phones.length || !d.fields.has(d.phoneField)) return found;
  const newest = await fetchZoho(ctx, { url: crmUrl(ctx, `/${d.module}`), query: { fields: d.phoneField, sort_by: 'Created_Time', sort_order: 'desc', per_page: ZOHO.pageSize } }, Rows);
  const older = await coqlWhereIn(ctx, d.module, ['id', d.phoneField], [{ field: d.phoneField, values: phones }]);
  const rows = [...(newest?.data ?? []), ...older].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  for (const c of contacts) {
    for (const phone of c.phones) {
      const hit = digits(phone) && rows.find((r) => digits(r[d.phoneField]) === digits(phone));
      if (hit) {
        found.set(c.clientId, String(hit.id));
        break;
      }
    }
  }
  return found;
}

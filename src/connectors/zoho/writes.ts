import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { OutboundContext } from '../outbound.js';
import { chunks, crmUrl, failureOf, ZOHO, ZohoErrorBody } from './api.js';
import { recordFailure } from './failures.js';

export type ZohoRecord = Record<string, unknown>;
export type WriteResult = { ok: true; id: string; created: boolean } | { ok: false; error: CrmError };

const Success = z.object({
  status: z.literal('success'),
  action: z.enum(['insert', 'update']).optional(),
  details: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose(),
});
const BulkAnswer = z.object({ data: z.array(z.unknown()) });

export type WriteKind = { kind: 'insert' } | { kind: 'update' } | { kind: 'upsert'; duplicateCheck: string[] };

/**
 * Inserts, updates (records carry `id`) or upserts records of one module, 100 per call, and
 * reads Zoho's answer record by record (201/200 all good, 207 some, 400 none), so one bad
 * record fails alone. A call that fails as a whole (timeout, auth, limit) fails each of its
 * records with that error. Upserts are safe to send again: a replay finds what the first
 * attempt wrote through the duplicate-check fields and updates it, when the record has a value
 * in one of them.
 */
export async function writeRecords(ctx: OutboundContext, module: string, how: WriteKind, records: ZohoRecord[]): Promise<WriteResult[]> {
  const out: WriteResult[] = [];
  for (const chunk of chunks(records, ZOHO.writeLimit)) out.push(...(await writeChunk(ctx, module, how, chunk)));
  return out;
}

/**
 * Sending it twice has the effect of sending it once: an update, or an upsert whose every record
 * has a value the duplicate check finds again (a record known by phone alone is inserted anew).
 */
const idempotent = (how: WriteKind, records: ZohoRecord[]) =>
  how.kind === 'update' || (how.kind === 'upsert' && records.every((r) => how.duplicateCheck.some((f) => r[f] !== undefined && r[f] !== null && r[f] !== '')));

async function writeChunk(ctx: OutboundContext, module: string, how: WriteKind, records: ZohoRecord[]): Promise<WriteResult[]> {
  const path = how.kind === 'upsert' ? `/${module}/upsert` : `/${module}`;
  const body = how.kind === 'upsert' ? { data: records, duplicate_check_fields: how.duplicateCheck } : { data: records };
  let res;
  try {
    res = await ctx.http({ method: how.kind === 'update' ? 'PUT' : 'POST', url: crmUrl(ctx, path), body, idempotent: idempotent(how, records) });
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return records.map(() => ({ ok: false, error: err }));
  }
  const parsed = BulkAnswer.safeParse(res.body);
  if (!parsed.success || parsed.data.data.length !== records.length) {
    const error = failureOf(res) ?? new CrmError('unavailable', `${ZOHO.name} answered a ${module} write without a result per record (HTTP ${res.status}).`);
    return records.map(() => ({ ok: false, error }));
  }
  return parsed.data.data.map((r, i): WriteResult => {
    const ok = Success.safeParse(r);
    if (ok.success) return { ok: true, id: ok.data.details.id, created: how.kind === 'insert' || ok.data.action === 'insert' };
    const err = ZohoErrorBody.safeParse(r);
    return { ok: false, error: err.success ? recordFailure(err.data, module, records[i]) : new CrmError('unavailable', `${ZOHO.name} gave no readable result for this ${module} record.`) };
  });
}

import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { OutboundContext } from '../outbound.js';
import { SALESFORCE, callSalesforce, dataUrl } from './api.js';
import { recordFailure } from './failures.js';

/** One record of a Collections write: its sObject type and field values (with `id` for updates). */
export interface SObjectRecord {
  object: string;
  values: Record<string, unknown>;
}

export type WriteResult = { ok: true; id: string; created: boolean } | { ok: false; error: CrmError };

/** create: POST /composite/sobjects; update: PATCH /composite/sobjects; upsert: PATCH /composite/sobjects/{T}/{field}. */
export type CollectionOperation = { kind: 'create' } | { kind: 'update' } | { kind: 'upsert'; object: string; externalIdField: string };

const SaveResults = z.array(
  z.object({
    id: z.string().nullish(),
    success: z.boolean(),
    created: z.boolean().optional(),
    errors: z.array(z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })),
  }),
);

/**
 * Writes records through sObject Collections, 200 per call with allOrNone false, and answers
 * one result per record in order. A refused record fails alone: Salesforce reports DML
 * errors per record, and a request-level refusal (an unknown field or a value of the wrong
 * JSON type fails the whole call) is narrowed down to the records that caused it.
 */
export async function writeCollection(ctx: OutboundContext, op: CollectionOperation, records: SObjectRecord[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (let i = 0; i < records.length; i += SALESFORCE.collectionLimit) {
    results.push(...(await writeChunk(ctx, op, records.slice(i, i + SALESFORCE.collectionLimit))));
  }
  return results;
}

async function writeChunk(ctx: OutboundContext, op: CollectionOperation, records: SObjectRecord[]): Promise<WriteResult[]> {
  if (records.length === 0) return [];
  try {
    return await send(ctx, op, records);
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    if (err.kind !== 'invalid') return records.map(() => ({ ok: false, error: err }));
    return narrow(ctx, op, records, err);
  }
}

async function send(ctx: OutboundContext, op: CollectionOperation, records: SObjectRecord[]): Promise<WriteResult[]> {
  const path = op.kind === 'upsert' ? `/composite/sobjects/${op.object}/${op.externalIdField}` : '/composite/sobjects';
  const body = { allOrNone: false, records: records.map((r) => ({ attributes: { type: r.object }, ...r.values })) };
  const parsed = SaveResults.parse(await callSalesforce(ctx, { method: op.kind === 'create' ? 'POST' : 'PATCH', url: dataUrl(ctx, path), body }));
  if (parsed.length !== records.length) throw new CrmError('unavailable', `Salesforce answered ${parsed.length} results for ${records.length} records; crm-sync will retry.`);
  return parsed.map((r, i) => {
    const record = records[i] as SObjectRecord;
    if (r.success && r.id) return { ok: true, id: r.id, created: r.created ?? op.kind === 'create' };
    return { ok: false, error: recordFailure(record.object, record.values, r.errors) };
  });
}

/**
 * Salesforce names an unknown field (INVALID_FIELD: "No such column 'X' on sobject of type T"):
 * the records that carry it fail and the rest are sent again in one call. Any other refusal
 * of the whole call is split in halves until the bad record stands alone.
 */
async function narrow(ctx: OutboundContext, op: CollectionOperation, records: SObjectRecord[], err: CrmError): Promise<WriteResult[]> {
  const column = /No such column '([^']+)' on sobject of type (\w+)/.exec(vendorMessage(err));
  const failOne = (r: SObjectRecord): WriteResult => ({ ok: false, error: recordFailure(r.object, r.values, [{ statusCode: err.details.vendorCode ?? 'INVALID_REQUEST', message: vendorMessage(err), fields: column ? [column[1] as string] : [] }]) });
  if (records.length === 1) return [failOne(records[0] as SObjectRecord)];
  if (column) {
    const [, field, object] = column as unknown as [string, string, string];
    const carries = (r: SObjectRecord) => r.object.toLowerCase() === object.toLowerCase() && Object.keys(r.values).some((k) => k.toLowerCase() === field.toLowerCase());
    const rest = records.filter((r) => !carries(r));
    if (rest.length < records.length) {
      const retried = await writeChunk(ctx, op, rest);
      return records.map((r) => (carries(r) ? failOne(r) : (retried.shift() as WriteResult)));
    }
  }
  const half = Math.ceil(records.length / 2);
  return [...(await writeChunk(ctx, op, records.slice(0, half))), ...(await writeChunk(ctx, op, records.slice(half)))];
}

/** A request-level error body: `[{message, errorCode, fields?}]`. */
const RequestErrors = z.array(z.looseObject({ message: z.string().optional().catch(undefined) }));

/** The vendor's own words from a request-level error body. */
function vendorMessage(err: CrmError): string {
  const body = err.details.body;
  return RequestErrors.safeParse(body).data?.[0]?.message ?? err.message;
}

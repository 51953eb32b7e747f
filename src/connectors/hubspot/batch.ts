import { CrmError } from '../errors.js';
import type { CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';
import { failure, isSuccess, parse, send } from './api.js';
import { CRM_NAME } from './facts.js';
import { propertyProblems, quotes, recordRefusal, type PropertyProblem } from './refusals.js';
import { BatchAnswer, ErrorBody, type HubSpotObject } from './schemas.js';

/** One input of a batch write. `key` finds its result (our key property or the trace id); `id` is the record id it names, if any. */
export interface BatchInput {
  key: string;
  id?: string;
  properties: Record<string, string>;
  /** The input as HubSpot takes it: `{properties}`, `{id, properties}`, `{id, idProperty, properties}`... */
  body: Record<string, unknown>;
}

export type BatchResult = { ok: true; object: HubSpotObject } | { ok: false; error: CrmError };

export interface BatchWrite {
  /** e.g. /crm/v3/objects/contacts/batch/upsert */
  path: string;
  /** What an input is, in errors: "contact", "note"... */
  what: string;
  /** Which input a result belongs to: HubSpot does not promise results in input order. */
  keyOf(result: HubSpotObject): string | undefined;
}

/**
 * Writes inputs through a batch endpoint and answers one result per input, in order.
 * HubSpot reports a bad input in one of two ways: per input (207, read record by record), or by
 * refusing the whole batch (400/409) naming the property but not the input. Then the inputs
 * whose values its message quotes are sent alone and the others together again; when it quotes
 * none, the batch is halved. A single refused input gets its own error.
 */
export async function writeBatch(ctx: OutboundContext, write: BatchWrite, inputs: BatchInput[]): Promise<BatchResult[]> {
  const results = new Map<BatchInput, BatchResult>();
  await attempt(ctx, write, inputs, results);
  return inputs.map(
    (input) => results.get(input) ?? { ok: false, error: new CrmError('unavailable', `${CRM_NAME} did not report on this ${write.what}; crm-sync will retry.`) },
  );
}

async function attempt(ctx: OutboundContext, write: BatchWrite, batch: BatchInput[], results: Map<BatchInput, BatchResult>): Promise<void> {
  if (batch.length === 0) return;
  const res = await send(ctx, { method: 'POST', path: write.path, body: { inputs: batch.map((i) => i.body) } });
  if (isSuccess(res)) return readAnswer(res, write, batch, results);
  if (res.status !== 400 && res.status !== 409) throw failure(res);

  const refusal = refusalOf(res);
  if (batch.length === 1) {
    results.set(batch[0] as BatchInput, { ok: false, error: recordRefusal(write.what, refusal, (batch[0] as BatchInput).properties) });
    return;
  }
  // Inputs that carry a property HubSpot says cannot be written fail without a second try.
  const problems = propertyProblems(refusal.message, refusal.body);
  const condemned = batch.flatMap((input) => {
    const own = problems.filter((p) => condemns(p, input));
    return own.length > 0 ? [{ input, own }] : [];
  });
  for (const { input, own } of condemned) results.set(input, { ok: false, error: recordRefusal(write.what, refusal, input.properties, own) });
  const rest = batch.filter((input) => !condemned.some((c) => c.input === input));
  if (condemned.length > 0) return attempt(ctx, write, rest, results);

  const suspects = batch.filter((input) => isQuoted(refusal, problems, input));
  if (suspects.length > 0 && suspects.length < batch.length) {
    for (const input of suspects) await attempt(ctx, write, [input], results);
    return attempt(ctx, write, batch.filter((i) => !suspects.includes(i)), results);
  }
  const half = Math.ceil(batch.length / 2);
  await attempt(ctx, write, batch.slice(0, half), results);
  await attempt(ctx, write, batch.slice(half), results);
}

function readAnswer(res: CrmResponse, write: BatchWrite, batch: BatchInput[], results: Map<BatchInput, BatchResult>): void {
  const answer = parse(BatchAnswer, res.body);
  const byKey = new Map(batch.map((i) => [i.key, i]));
  const byId = new Map(batch.flatMap((i) => (i.id ? [[i.id.toLowerCase(), i] as const] : [])));
  for (const object of answer.results) {
    const key = object.objectWriteTraceId ?? write.keyOf(object);
    const input = (key !== undefined ? byKey.get(key) : undefined) ?? byId.get(object.id);
    if (input) results.set(input, { ok: true, object });
  }
  for (const error of answer.errors ?? []) {
    const named = [
      ...(error.context?.objectWriteTraceId ?? []).map((k) => byKey.get(k)),
      ...(error.context?.ids ?? []).map((id) => byId.get(id.toLowerCase())),
    ];
    for (const input of named) {
      if (input) results.set(input, { ok: false, error: recordRefusal(write.what, { status: res.status, category: error.category, message: error.message, body: error }, input.properties) });
    }
  }
}

interface Refusal {
  status: number;
  category?: string;
  message: string;
  body: unknown;
}

function refusalOf(res: CrmResponse): Refusal {
  const parsed = ErrorBody.safeParse(res.body);
  const message = parsed.success ? parsed.data.message : typeof res.body === 'string' ? res.body : '';
  return { status: res.status, category: parsed.success ? parsed.data.category : undefined, message, body: res.body };
}

/** Problems that follow from the property's name alone, whatever its value. */
function condemns(problem: PropertyProblem, input: BatchInput): boolean {
  if (problem.code === 'PROPERTY_DOESNT_EXIST' || problem.code === 'READ_ONLY_VALUE') return problem.name in input.properties;
  if (problem.code === 'REQUIRED_PROPERTY') return !(problem.name in input.properties);
  return false;
}

/** Whether the refusal's message quotes one of this input's values (bad e-mails, options, owner ids, duplicate ids). */
function isQuoted(refusal: Refusal, problems: PropertyProblem[], input: BatchInput): boolean {
  if (problems.length > 0) return problems.some((p) => quotes(p.message, input.properties[p.name]));
  return [input.id, ...Object.values(input.properties)].some((v) => quotes(refusal.message, v));
}

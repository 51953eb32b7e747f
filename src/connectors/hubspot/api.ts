import { parseVendorAnswer } from '../http/answers.js';
import type { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';
import { CRM_NAME } from './facts.js';

export interface HubSpotCall {
  method?: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/**
 * One call to HubSpot's API through the context's http. A refusal (400/409) comes back as an
 * answer even when the http layer throws it, because a batch needs its body to tell which
 * input was refused.
 */
export async function send(ctx: OutboundContext, call: HubSpotCall): Promise<CrmResponse> {
  try {
    return await ctx.http({ method: call.method ?? 'GET', url: `${ctx.apiBase}${call.path}`, query: call.query, body: call.body, idempotent: repeatable(call) });
  } catch (err) {
    const status = err instanceof CrmError ? err.details.status : undefined;
    if (err instanceof CrmError && (status === 400 || status === 409) && err.details.body !== undefined) {
      return { status, headers: new Headers(), body: err.details.body };
    }
    throw err;
  }
}

/**
 * POSTs that read (batch/read, search) or upsert on a unique key change nothing more when sent
 * twice, so the shared layer may retry them after a timeout or 5xx; creates may not.
 */
function repeatable(call: HubSpotCall): boolean | undefined {
  if ((call.method ?? 'GET') !== 'POST') return undefined;
  return /\/(batch\/read|batch\/upsert|search)$/.test(call.path);
}

export const isSuccess = (res: CrmResponse) => res.status >= 200 && res.status < 300;

/** A failed answer in HubSpot's words (`message`, `category`). */
export function failure(res: CrmResponse): CrmError {
  return failureFromStatus(CRM_NAME, res, pickMessage(res.body, 'message'), pickMessage(res.body, 'category'));
}

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseVendorAnswer(CRM_NAME, schema, body, 'a call');
}

/** A call whose answer must be a success, parsed with the vendor's schema. */
export async function fetchParsed<S extends z.ZodType>(ctx: OutboundContext, call: HubSpotCall, schema: S): Promise<z.infer<S>> {
  const res = await send(ctx, call);
  if (!isSuccess(res)) throw failure(res);
  return parse(schema, res.body);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

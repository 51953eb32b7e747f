import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmRequest, CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';
import { ApiError, Page, parseAnswer } from './schemas.js';

export type { ApiError } from './schemas.js';

/** AutoChat CRM's facts for outbound sync (docs/autochat-api.md), in one place. */
export const AUTOCHAT = {
  name: 'AutoChat CRM',
  /**
   * The hosted service, where an account lives unless it runs its own server: a connection
   * needs only its API key (seed 001), and the server URL only for a self-hosted AutoChat.
   */
  hostedUrl: 'https://api.autoch.at',
  /** `POST /clients/batch` takes up to 100 clients, `POST /activities/batch` 100 activities. */
  batchSize: 100,
  /** `POST /clients/lookup` takes up to 500 e-mails and 500 phones. */
  lookupMax: 500,
  pageLimit: 100,
  titleMax: 200,
  bodyMax: 10_000,
  /** Idempotency keys (an activity's, the header) are 1-255 characters. */
  idempotencyKeyMax: 255,
} as const;

/** The value at a dotted path of what we sent (`fields.plan`). */
const valueAt = (sent: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), sent);

/**
 * A refusal in words that name the field and the value we sent, e.g. `AutoChat CRM refused
 * fields.plan = "gold": must be one of: free, pro, enterprise (validation_failed)`.
 */
export function refusal(error: ApiError | undefined, sent: unknown, res?: CrmResponse): CrmError {
  const code = error?.code ?? 'unknown';
  const details = error?.details ?? [];
  const kind = code === 'duplicate_external_id' || code === 'idempotency_key_reused' ? 'conflict' : code === 'not_found' ? 'not_found' : 'invalid';
  if (details.length === 0 && res) return failureFromStatus(AUTOCHAT.name, res, error?.message, code);
  const said = details.length
    ? ` ${details.map((d) => (valueAt(sent, d.field) !== undefined ? `${d.field} = ${JSON.stringify(valueAt(sent, d.field))}: ${d.message}` : `${d.field}: ${d.message}`)).join('; ')}`
    : `: ${error?.message ?? 'no reason given'}`;
  return new CrmError(kind, `${AUTOCHAT.name} refused${said} (${code})`, { status: res?.status, vendorCode: code, body: error });
}

/** The error object of a refusal; one in another shape is left out (the status still speaks). */
const errorOf = (body: unknown) => z.looseObject({ error: ApiError }).safeParse(body).data?.error;

/** A non-2xx answer as a CrmError: refusals (409, 422) name the fields and the values we sent. */
export function answerFailure(res: CrmResponse, sent: unknown): CrmError {
  if (res.status === 409 || res.status === 422) return refusal(errorOf(res.body), sent, res);
  return failureFromStatus(AUTOCHAT.name, res, pickMessage(res.body, 'error.message'), pickMessage(res.body, 'error.code'));
}

/** One call; a non-2xx answer becomes a CrmError. The body of a success is left unread. */
export async function callAutoChat(ctx: OutboundContext, req: CrmRequest): Promise<unknown> {
  const res = await ctx.http(req);
  if (res.status >= 200 && res.status < 300) return res.body;
  throw answerFailure(res, req.body);
}

/** One call whose success is parsed with `schema`; `what` names the call in an error. */
export async function fetchAutoChat<S extends z.ZodType>(ctx: OutboundContext, req: CrmRequest, schema: S, what: string): Promise<z.infer<S>> {
  return parseAnswer(schema, await callAutoChat(ctx, req), what);
}

/** Every item of a list (`{data, next_cursor}` pages), each parsed with `item`. */
export async function listAll<T extends z.ZodType>(ctx: OutboundContext, path: string, item: T, query: Record<string, string | undefined> = {}): Promise<z.infer<T>[]> {
  const all: z.infer<T>[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await fetchAutoChat(ctx, { url: `${ctx.apiBase}${path}`, query: { ...query, limit: AUTOCHAT.pageLimit, cursor } }, Page(item), `GET ${path}`);
    all.push(...page.data);
    if (!page.next_cursor) return all;
    cursor = page.next_cursor;
  }
}

import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmResponse } from '../http/client.js';

const NAME = 'Salesforce';

/**
 * Salesforce counts API calls over a rolling 24 hours, so no single instant resets the
 * allocation: pausing an hour lets older calls age out before crm-sync tries again.
 */
const DAILY_LIMIT_PAUSE_MS = 60 * 60 * 1000;

/** A request-level failure: the body is `[{message, errorCode, fields?}]`. */
export function requestFailure(res: CrmResponse): CrmError {
  const code = pickMessage(res.body, 'errorCode');
  const message = pickMessage(res.body, 'message');
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    const usage = res.headers.get('sforce-limit-info');
    return new CrmError(
      'rate_limited',
      `Salesforce's daily API request limit was reached${usage ? ` (${usage})` : ''}: "${message ?? code}". crm-sync pauses this connection and tries again in an hour, as Salesforce frees calls over a rolling 24 hours; if it recurs, ask Salesforce for a larger allocation.`,
      { status: res.status, vendorCode: code, retryAfterMs: DAILY_LIMIT_PAUSE_MS, body: res.body },
    );
  }
  return failureFromStatus(NAME, res, message, code);
}

/**
 * How crm-sync reads any Salesforce answer: a 2xx is the connector's to read, anything else a
 * classified failure. The shared http layer (connectionHttp's `classify`) should use this one,
 * so that REQUEST_LIMIT_EXCEEDED (a 403) pauses the connection instead of reading as a missing
 * permission.
 */
export function classifyAnswer(res: CrmResponse): CrmError | undefined {
  return res.status >= 200 && res.status < 300 ? undefined : requestFailure(res);
}

/** One record's error inside a Collections or upsert result. */
export interface DmlError {
  statusCode: string;
  message: string;
  fields?: string[];
}

/** Codes that say the record we meant to update is gone (deleted, or a Lead since converted), so the engine should match again. */
const GONE = new Set(['ENTITY_IS_DELETED', 'CANNOT_UPDATE_CONVERTED_LEAD']);
/** Codes Salesforce documents as transient (row locks under concurrent saves). */
const TRANSIENT = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

/**
 * One record refused, in words that name the field and the value we sent, e.g.
 * `Salesforce refused Qualification__c = "Lukewarm" on Lead: Qualification: bad value for
 * restricted picklist field: Lukewarm (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)`.
 */
export function recordFailure(object: string, sent: Record<string, unknown>, errors: DmlError[]): CrmError {
  const first = errors[0] ?? { statusCode: 'UNKNOWN_EXCEPTION', message: 'no reason given' };
  const fields = errors.flatMap((e) => e.fields ?? []);
  const named = fields.length > 0 ? fields.map((f) => (f in sent ? `${f} = ${JSON.stringify(sent[f])}` : f)).join(', ') : 'the record';
  const said = errors.map((e) => `${e.message} (${e.statusCode})`).join('; ');
  const kind = GONE.has(first.statusCode) ? 'not_found' : TRANSIENT.has(first.statusCode) ? 'unavailable' : first.statusCode === 'DUPLICATE_VALUE' ? 'conflict' : 'invalid';
  return new CrmError(kind, `${NAME} refused ${named} on ${object}: ${said}`, { vendorCode: first.statusCode, body: errors });
}

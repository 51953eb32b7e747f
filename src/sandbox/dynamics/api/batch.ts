import { randomUUID } from 'node:crypto';
import { DataverseError, queryError } from '../errors.js';
import { JSON_MINIMAL, type ApiContext, type ApiRequest, type ApiResponse } from './context.js';
import { dispatch, errorResponse } from './dispatch.js';
import { apiRelativePath } from './keys.js';
import { boundaryOf, readHttpRequest, splitMultipart, writeHttpResponse, writeMultipart, writePart, type MimePart } from './multipart.js';

/** Dataverse refuses batches of more than 1,000 requests. */
export const MAX_BATCH_REQUESTS = 1000;

interface PartResult {
  status: number;
  text: string;
}

/**
 * `POST $batch`: standalone requests run in order; a change set runs atomically (the
 * first failure rolls back the whole set) and may refer to rows it created as `$<Content-ID>`.
 * Without `Prefer: odata.continue-on-error` processing stops at the first failure, and the
 * batch answers with that failure's status.
 */
export function executeBatch(ctx: ApiContext, contentType: string | undefined, body: string, prefer: string | undefined): ApiResponse {
  const boundary = boundaryOf(contentType);
  if (!boundary || !/^multipart\/mixed/i.test(contentType ?? '')) {
    throw queryError("The batch request must have a 'Content-Type' header of 'multipart/mixed' with a boundary parameter.");
  }
  const parts = splitMultipart(body, boundary);
  const total = parts.reduce((n, p) => n + (isChangeSet(p) ? splitMultipart(p.body, boundaryOf(p.headers['content-type'])!).length : 1), 0);
  if (total > MAX_BATCH_REQUESTS) {
    throw queryError(`Number of requests in a batch request exceeded the limit of ${MAX_BATCH_REQUESTS}. The batch has ${total} requests.`);
  }
  const continueOnError = /odata\.continue-on-error/i.test(prefer ?? '');
  const results: PartResult[] = [];
  let failure: number | undefined;
  for (const part of parts) {
    const result = isChangeSet(part) ? runChangeSet(ctx, part) : runSingle(ctx, part, undefined);
    results.push(result);
    if (result.status >= 400) {
      failure = result.status;
      if (!continueOnError) break;
    }
  }
  const responseBoundary = `batchresponse_${randomUUID()}`;
  return {
    status: failure !== undefined && !continueOnError ? failure : 200,
    headers: { 'content-type': `multipart/mixed; boundary=${responseBoundary}` },
    body: writeMultipart(responseBoundary, results.map((r) => r.text)),
  };
}

const isChangeSet = (part: MimePart) => /^multipart\/mixed/i.test(part.headers['content-type'] ?? '') && !!boundaryOf(part.headers['content-type']);

function runChangeSet(ctx: ApiContext, part: MimePart): PartResult {
  const boundary = boundaryOf(part.headers['content-type'])!;
  const restore = ctx.store.snapshot();
  const contentIds = new Map<string, string>();
  const inner: string[] = [];
  for (const request of splitMultipart(part.body, boundary)) {
    const contentId = request.headers['content-id'];
    const response = runRequest({ ...ctx, contentIds }, request, true);
    const text = httpPart(response, contentId);
    if (response.status >= 400) {
      restore();
      return { status: response.status, text };
    }
    const created = response.headers['odata-entityid'];
    if (contentId && created) contentIds.set(contentId, created);
    inner.push(text);
  }
  const changesetBoundary = `changesetresponse_${randomUUID()}`;
  return { status: 200, text: writePart({ 'Content-Type': `multipart/mixed; boundary=${changesetBoundary}` }, writeMultipart(changesetBoundary, inner)) };
}

function runSingle(ctx: ApiContext, part: MimePart, contentId: string | undefined): PartResult {
  const response = runRequest(ctx, part, false);
  return { status: response.status, text: httpPart(response, contentId) };
}

function runRequest(ctx: ApiContext, part: MimePart, inChangeSet: boolean): ApiResponse {
  try {
    const message = readHttpRequest(part.body);
    if (!message) throw queryError('The batch part is not a valid HTTP request: a request line "METHOD URL HTTP/1.1" was expected.');
    if (inChangeSet && message.method === 'GET') throw queryError('GET requests are not allowed inside a change set.');
    let url = message.url;
    const ref = /^\$([^/?]+)(.*)$/.exec(url);
    if (ref) {
      const target = ctx.contentIds?.get(ref[1]!);
      if (!target) throw new DataverseError(400, '0x80060888', `Content-ID Reference: '$${ref[1]}' does not exist in the batch context.`);
      url = target + ref[2];
    }
    const relative = apiRelativePath(url);
    const q = relative.indexOf('?');
    const rawPath = q < 0 ? relative : relative.slice(0, q);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const request: ApiRequest = {
      method: message.method,
      path,
      query: new URLSearchParams(q < 0 ? '' : relative.slice(q + 1)),
      headers: message.headers,
      body: message.body,
    };
    return dispatch(ctx, request);
  } catch (e) {
    if (e instanceof DataverseError) return errorResponse(e);
    throw e;
  }
}

function httpPart(response: ApiResponse, contentId: string | undefined): string {
  const headers: Record<string, string> = {};
  if (response.headers['odata-entityid']) headers.location = response.headers['odata-entityid'];
  const merged: Record<string, string> = { 'odata-version': '4.0', ...headers, ...response.headers };
  if (response.body !== undefined && !merged['content-type']) merged['content-type'] = JSON_MINIMAL;
  const body = response.body === undefined ? '\r\n' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  const partHeaders: Record<string, string> = { 'Content-Type': 'application/http', 'Content-Transfer-Encoding': 'binary' };
  if (contentId) partHeaders['Content-ID'] = contentId;
  return writePart(partHeaders, writeHttpResponse(response.status, merged, body));
}

import { randomUUID } from 'node:crypto';
import { CrmError } from '../errors.js';
import type { CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';
import { DYNAMICS, chunks, refusal } from './api.js';

/** One request inside a `$batch`. `url` is absolute (the API base and the path). */
export interface BatchRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** None for a GET. */
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * The multipart text travels through the JSON-minded CrmHttp as a form body whose text is the
 * batch itself: the client sends a URLSearchParams as `toString()` and keeps a content-type
 * the caller set.
 */
class RawBody extends URLSearchParams {
  constructor(private readonly text: string) {
    super();
  }
  override toString(): string {
    return this.text;
  }
}

/**
 * Sends requests as `$batch`es of standalone requests (no change sets) with
 * `Prefer: odata.continue-on-error`: each request commits or fails alone, so one bad record
 * never rolls back the others. Answers one response per request, in order; a batch that fails
 * as a whole (timeout, 5xx, 429) throws.
 */
export async function sendBatch(ctx: OutboundContext, requests: BatchRequest[]): Promise<CrmResponse[]> {
  const out: CrmResponse[] = [];
  for (const chunk of chunks(requests, DYNAMICS.batchSize)) out.push(...(await sendOne(ctx, chunk)));
  return out;
}

async function sendOne(ctx: OutboundContext, requests: BatchRequest[]): Promise<CrmResponse[]> {
  if (requests.length === 0) return [];
  const boundary = `batch_${randomUUID()}`;
  const parts = requests.map((r, i) =>
    [
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${i + 1}`,
      '',
      `${r.method} ${r.url} HTTP/1.1`,
      r.body ? 'Content-Type: application/json; charset=utf-8' : 'Accept: application/json',
      ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      '',
      r.body ? JSON.stringify(r.body) : '',
    ].join('\r\n'),
  );
  const text = `${parts.join('\r\n')}\r\n--${boundary}--\r\n`;
  const res = await ctx.http({
    method: 'POST',
    url: `${ctx.apiBase}/$batch`,
    headers: { 'content-type': `multipart/mixed; boundary=${boundary}`, prefer: 'odata.continue-on-error' },
    body: new RawBody(text),
    // Only reads and upserts (PATCH) are safe to send twice; a batch with a create is not.
    idempotent: requests.every((r) => r.method !== 'POST'),
  });
  if (res.status < 200 || res.status >= 300) throw refusal(res, '$batch');
  const answers = readBatchResponse(res);
  if (answers.length !== requests.length) throw new CrmError('unavailable', `${DYNAMICS.name} answered ${answers.length} parts for ${requests.length} requests in a $batch; crm-sync will retry.`);
  return answers;
}

/** The HTTP responses inside a multipart/mixed batch response, in order. */
export function readBatchResponse(res: CrmResponse): CrmResponse[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;,\s]+))/i.exec(res.headers.get('content-type') ?? '');
  const text = typeof res.body === 'string' ? res.body : '';
  if (!boundary) return [];
  const marker = `--${boundary[1] ?? boundary[2]}`;
  return text
    .split(marker)
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .map((part) => {
      const lines = part.replace(/^\r?\n/, '').split(/\r?\n/);
      const statusAt = lines.findIndex((l) => /^HTTP\/1\.1 \d{3}/.test(l));
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[statusAt] ?? '')?.[1] ?? 0);
      const headers = new Headers();
      let i = statusAt + 1;
      for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) {
        const line = lines[i] as string;
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const raw = lines.slice(i + 1).join('\n').trim();
      return { status, headers, body: parseJson(raw) };
    });
}

function parseJson(raw: string): unknown {
  if (!raw) return '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

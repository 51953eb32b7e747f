/**
 * The multipart/mixed text of OData `$batch` requests and responses: parts with MIME
 * headers, and inside them whole HTTP requests (`application/http`).
 */
export interface MimePart {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpMessage {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;,\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Splits a multipart body at its boundary lines; text after the closing delimiter is ignored. */
export function splitMultipart(body: string, boundary: string): MimePart[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n|(?<=\\n))--${escape(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts: MimePart[] = [];
  let match = delimiter.exec(body);
  while (match && !match[1]) {
    const start = match.index + match[0].length;
    const next = delimiter.exec(body);
    const end = next ? next.index : body.length;
    parts.push(readPart(body.slice(start, end)));
    match = next;
  }
  return parts;
}

function readHeaders(lines: string[]): { headers: Record<string, string>; consumed: number } {
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      break;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, consumed: i };
}

function readPart(text: string): MimePart {
  const lines = text.split(/\r?\n/);
  const { headers, consumed } = readHeaders(lines);
  return { headers, body: lines.slice(consumed).join('\r\n') };
}

/** Reads `METHOD url HTTP/1.1`, the request's headers and its body out of an application/http part. */
export function readHttpRequest(text: string): HttpMessage | undefined {
  const lines = text.replace(/^(\r?\n)+/, '').split(/\r?\n/);
  const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const { headers, consumed } = readHeaders(lines.slice(1));
  const body = lines.slice(1 + consumed).join('\r\n').trim();
  return { method: m[1]!, url: m[2]!, headers, body };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export const statusText = (status: number) => STATUS_TEXT[status] ?? 'Unknown';

const HEADER_CASE: Record<string, string> = {
  'content-type': 'Content-Type',
  'odata-entityid': 'OData-EntityId',
  'odata-version': 'OData-Version',
  etag: 'ETag',
  location: 'Location',
  'preference-applied': 'Preference-Applied',
};

/** One response as an application/http part body: status line, headers, blank line, body. */
export function writeHttpResponse(status: number, headers: Record<string, string>, body: string | undefined): string {
  const lines = [`HTTP/1.1 ${status} ${statusText(status)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${HEADER_CASE[k] ?? k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

export function writePart(headers: Record<string, string>, content: string): string {
  return `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${content}`;
}

export function writeMultipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}

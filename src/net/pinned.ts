import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/**
 * One HTTP exchange connected to addresses already checked: the socket's lookup answers
 * with them instead of asking DNS again, so the name cannot resolve elsewhere between the
 * check and the connect. TLS still verifies the certificate against the name.
 */
export interface PinnedAnswer {
  status: number;
  headers: Headers;
  text: string;
}

// Kept-alive sockets stay connected to the address checked when they were opened.
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

export function pinnedExchange(
  url: URL,
  addresses: string[],
  init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal },
): Promise<PinnedAnswer> {
  const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, addresses.map((address) => ({ address, family: isIP(address) })));
    else callback(null, addresses[0], isIP(addresses[0]!));
  }) as unknown as LookupFunction;
  const headers = { ...init.headers, ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }) };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method, headers, lookup, signal: init.signal, agent: agents[url.protocol as keyof typeof agents] }, (res) => {
      readAll(res).then((text) => resolve({ status: res.statusCode ?? 0, headers: headersOf(res), text }), reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}

function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) h.append(name, v);
    else if (value !== undefined) h.set(name, value);
  }
  return h;
}

import { Agent, request } from 'node:http';

export interface HttpCall {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: Float64Array;
  failures: { status: number; body: string }[];
}

/** One keep-alive connection pool to the server, shared by the phases of a run. */
export class LoadClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    readonly connections: number,
  ) {
    this.base = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  send(call: HttpCall): Promise<{ status: number; body: string }> {
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(call.body);
    }
    return new Promise((resolve, reject) => {
      const req = request({ agent: this.agent, hostname: this.base.hostname, port: this.base.port, method: call.method, path: call.path, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(call.body);
    });
  }

  /** Sends `total` calls with `concurrency` in flight, timing each; a non-2xx answer is a failure. */
  async run(total: number, concurrency: number, callFor: (i: number) => HttpCall): Promise<LoadResult> {
    const latencies = new Float64Array(total);
    const failures: LoadResult['failures'] = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const call = callFor(i);
        const t0 = performance.now();
        const res = await this.send(call);
        latencies[i] = performance.now() - t0;
        if (res.status < 200 || res.status >= 300) failures.push({ status: res.status, body: res.body.slice(0, 500) });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
    const seconds = (performance.now() - started) / 1000;
    return { requests: total, seconds, latencies: latencies.sort(), failures };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The q-th quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

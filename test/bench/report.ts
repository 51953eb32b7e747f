import { quantile, type LoadResult } from './load.js';

export interface Row {
  measure: string;
  result: string;
  aim: string;
  /** undefined: no aim for this figure. */
  met?: boolean;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function rate(count: number, seconds: number, unit: string): string {
  return `${fmt(count / seconds)} ${unit}/s`;
}

/** Requests/s, p50/p99, and the server's CPU per request (less sensitive to a busy machine than wall-clock figures). */
export function singleRequestRows(label: string, r: LoadResult, cpu: { server: number; loadGenerator: number }, aims: { perSecond: number; p99Ms: number }): Row[] {
  const perSecond = r.requests / r.seconds;
  const p99 = quantile(r.latencies, 0.99);
  return [
    { measure: `${label}: requests/s`, result: `${fmt(perSecond)} req/s`, aim: `>= ${fmt(aims.perSecond)}/s`, met: perSecond >= aims.perSecond },
    { measure: `${label}: latency p50 / p99`, result: `${fmt(quantile(r.latencies, 0.5), 1)} / ${fmt(p99, 1)} ms`, aim: `p99 < ${aims.p99Ms} ms`, met: p99 < aims.p99Ms },
    {
      measure: `${label}: CPU per request, server / load generator`,
      result: `${fmt((cpu.server / r.requests) * 1e6)} / ${fmt((cpu.loadGenerator / r.requests) * 1e6)} µs`,
      aim: '',
    },
  ];
}

export function printTable(title: string, rows: Row[]): void {
  const cells = rows.map((r) => [r.measure, r.result, r.aim, r.met === undefined ? '' : r.met ? 'ok' : 'BELOW AIM']);
  const head = ['measure', 'result', 'aim (SQLite, 2 cores)', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

export function describeFailures(label: string, r: LoadResult): string | undefined {
  if (!r.failures.length) return undefined;
  const first = r.failures[0]!;
  return `${label}: ${r.failures.length} of ${r.requests} requests failed (first: ${first.status} ${first.body})`;
}

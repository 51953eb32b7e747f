/**
 * The outbound sync benchmark: a workspace's clients and conversations ingested through
 * /v1/batch and synced by `crm-sync serve` (a child process) into each sandbox CRM that has
 * an outbound connector, the sandbox running in this process on a loopback port.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rateLimits, type RateLimitFacts } from '../../src/connectors/http/limits.js';
import { OUTBOUND } from '../../src/connectors/outbound-registry.js';
import type { OutboundConnector } from '../../src/connectors/outbound.js';
import type { CrmId } from '../../src/domain/crm.js';
import { createBenchDatabase, postgresAdminUrl } from './databases.js';
import { quantile } from './load.js';
import type { BenchOptions } from './options.js';
import { summariseProfiles } from './profile.js';
import { printTable, type Row } from './report.js';
import { createWorkspaceByCli, ServerProcess } from './server-process.js';
import { connect, disconnect, latencies, throughput, type Throughput } from './sync-phases.js';
import { SyncProgress } from './sync-progress.js';
import { BenchSandbox, type ConnectRecipe } from './sync-sandbox.js';
import { ceilingOf, CONVERSATIONS_PER_CLIENT, expectedRecords, minimumCalls, recordsPerCall } from './sync-volume.js';

const LATENCY_PUTS = Number(process.env.BENCH_SYNC_PUTS ?? 200);
/** The latency phase takes at most this long: a CRM with a small window gets fewer samples. */
const LATENCY_BUDGET_MS = 90_000;

/**
 * "Idle" single PUTs: one after another, and spaced so that, at two CRM calls each (a match and
 * a write), they use at most half of the CRM's documented per-window limit. Back to back, 200
 * PUTs would be a load test of the window (AutoChat's 120 calls a minute would queue them).
 */
function latencyPlan(crm: CrmId): { count: number; gapMs: number } {
  const w = (rateLimits[crm] as RateLimitFacts).window;
  const gapMs = w ? Math.ceil((2 * 2 * w.windowMs) / w.limit) : 0;
  return { gapMs, count: gapMs ? Math.min(LATENCY_PUTS, Math.max(30, Math.floor(LATENCY_BUDGET_MS / gapMs))) : LATENCY_PUTS };
}
const AIMS = { callsRatio: 1.1, shareOfCeiling: 0.9, share429: 0.01, p99Ms: 1_000 };
/** A run projected to take longer than this is measured on its first SLICE seconds instead. */
const LONGEST_S = 240;
const SLICE_S = Number(process.env.BENCH_SYNC_SLICE_S ?? 90);
/** BENCH_SYNC_CRMS=hubspot,salesforce runs those only. */
const ONLY = process.env.BENCH_SYNC_CRMS?.split(',');
/**
 * ServerProcess turns the server's own sandbox off, and with it `baseUrl` targets (the
 * sandbox-only override). This preload turns it back on before the CLI reads its config,
 * without the demo workspace's trickle of sample data, which would be load the bench did not send.
 */
const SANDBOX_TARGETS_ON = ['--import', `data:text/javascript,${encodeURIComponent("process.env.CRM_SYNC_SANDBOX = '1'; process.env.CRM_SYNC_DEMO = '0';")}`];

export async function run(options: BenchOptions): Promise<boolean> {
  const clients = Number(process.env.BENCH_SYNC_CLIENTS ?? (options.quick ? 1_000 : 10_000));
  const dialect = options.dialects.find((d) => d === 'sqlite' || postgresAdminUrl()) ?? 'sqlite';
  const busy = loadavg()[0]! > 0.5;
  console.log(
    `sync benchmark: ${clients.toLocaleString('en-US')} clients with ${CONVERSATIONS_PER_CLIENT} conversations each (summary, key note, commitment; ` +
      `every third a call) = ${expectedRecords(clients).toLocaleString('en-US')} CRM records per run, on ${dialect}\n` +
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}` +
      (busy ? '  <- busy machine: figures will be low' : ''),
  );
  const sandbox = await BenchSandbox.start();
  let ok = true;
  try {
    for (const [crm, connector] of Object.entries(OUTBOUND) as [CrmId, OutboundConnector][]) {
      if (ONLY && !ONLY.includes(crm)) continue;
      const recipe = await sandbox.connectRecipe(crm);
      if ('why' in recipe) {
        console.log(`\n${crm}: skipped, ${recipe.why}`);
        continue;
      }
      ok = (await runCrm(crm, connector, recipe, sandbox, { clients, dialect, options })) && ok;
    }
  } finally {
    await sandbox.close();
  }
  return ok;
}

async function runCrm(
  crm: CrmId,
  connector: OutboundConnector,
  recipe: ConnectRecipe,
  sandbox: BenchSandbox,
  o: { clients: number; dialect: 'sqlite' | 'postgres'; options: BenchOptions },
): Promise<boolean> {
  const db = await createBenchDatabase(o.dialect);
  const env = 'oauth' in recipe ? { ...db.env, ...recipe.oauth.env } : db.env;
  const profileDir = o.options.profile ? mkdtempSync(join(tmpdir(), `crm-sync-prof-${crm}-`)) : undefined;
  const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await ServerProcess.start(env, { useDist: o.options.useDist, nodeArgs: [...SANDBOX_TARGETS_ON, ...profileArgs] });
  const progress = SyncProgress.open(db);
  const problems: string[] = [];
  const rows: Row[] = [];
  const started = performance.now();
  try {
    const phase = async <T>(factor: number, body: (c: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> => {
      // Each phase starts on an empty CRM: the sandbox runs in this process beside the load
      // generator, and its lookups slow down with the 80,000 records an earlier phase left.
      await sandbox.control('POST', `/reset?crm=${crm}`);
      await sandbox.setRateLimitFactor(crm, factor);
      const ws = await createWorkspaceByCli(env, o.options.useDist);
      const c = await connect(server.url, ws, crm, recipe);
      try {
        return await body(c);
      } finally {
        await disconnect(c, sandbox);
      }
    };

    const plan = latencyPlan(crm);
    const latency = await phase(1, (c) => latencies(c, sandbox, 1, plan.count, plan.gapMs));
    if (latency.missing) problems.push(`${latency.missing} of ${plan.count} single PUTs did not reach ${crm} within 10 s`);
    const runOpts = (p: number) => ({ phase: p, clients: o.clients, sliceSeconds: SLICE_S, longestSeconds: LONGEST_S });
    const real = await phase(1, (c) => throughput(c, sandbox, progress, runOpts(2)));
    // CPU of both processes over the limits-off phase: crm-sync's own cost per record, apart
    // from the sandbox CRM and the load generator, which share this machine's cores with it.
    const cpu0 = { server: server.cpuSeconds(), bench: process.cpuUsage() };
    const off = await phase(0, (c) => throughput(c, sandbox, progress, runOpts(3)));
    const benchCpu = process.cpuUsage(cpu0.bench);
    const cpu = { server: server.cpuSeconds() - cpu0.server, bench: (benchCpu.user + benchCpu.system) / 1e6 };
    await sandbox.setRateLimitFactor(crm, 1);

    for (const [label, t] of [['real limits', real], ['limits off', off]] as const) {
      rows.push(callsRow(crm, connector, label, t, o.clients));
      if (t.states.failed) problems.push(`${label}: ${t.states.failed} sync items failed, e.g. ${t.failure ?? '?'}`);
      if (t.states.synced + t.states.skipped + t.states.failed === 0) problems.push(`${label}: no sync item settled in ${fmt(t.seconds)} s (${t.calls.requests} calls to ${crm})`);
    }
    rows.push(...realLimitRows(crm, connector, real));
    const p50 = quantile(latency.sorted, 0.5);
    const p99 = quantile(latency.sorted, 0.99);
    rows.push({
      measure: `PUT /v1/clients/{id} -> record in ${crm}, idle, ${plan.count} one after another${plan.gapMs ? `, one per ${fmt(plan.gapMs)} ms` : ''}: p50 / p99`,
      result: `${fmt(p50)} / ${fmt(p99)} ms`,
      aim: `p99 < ${fmt(AIMS.p99Ms)} ms`,
      met: p99 < AIMS.p99Ms,
    });
    rows.push({ measure: 'records/s, limits off (rateLimitFactor 0)', result: `${rateOf(off)}${sliceNote(off)}`, aim: '' });
    const perThousand = (sec: number) => `${fmt((1000 * sec * 1000) / Math.max(1, total(off.written)))} ms`;
    rows.push({ measure: 'CPU per 1,000 CRM records, limits off, ingest included: crm-sync / sandbox CRM and load generator', result: `${perThousand(cpu.server)} / ${perThousand(cpu.bench)}`, aim: '' });
    rows.push({ measure: 'crm-sync peak RSS (VmHWM)', result: `${server.peakRssMiB().toFixed(0)} MiB`, aim: '' });
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    printTable(`sync to ${crm}${o.options.quick ? ' (--quick)' : ''}, ${o.clients.toLocaleString('en-US')} clients, ${seconds} s${loadNote()}`, rows);
    for (const [label, t] of [['real limits', real], ['limits off', off]] as const) printDetails(label, t);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  } finally {
    await progress.close();
    await server.stop();
    await db.drop();
  }
  if (profileDir) console.log(`\ncrm-sync CPU profile for ${crm} (${profileDir}):\n${summariseProfiles(profileDir)}`);
  for (const p of problems) console.log(`PROBLEM (${crm}): ${p}`);
  if (problems.length && server.log) console.log(`server output:\n${server.log}`);
  return problems.length === 0;
}

function callsRow(crm: CrmId, connector: OutboundConnector, label: string, t: Throughput, clients: number): Row {
  const records = total(t.written);
  const minimum = minimumCalls(crm, connector, t.written);
  const ratio = t.calls.requests / Math.max(1, minimum);
  const of = t.complete ? `all ${records.toLocaleString('en-US')} records` : `the ${records.toLocaleString('en-US')} of ${expectedRecords(clients).toLocaleString('en-US')} records written in the first ${fmt(t.seconds)} s`;
  return {
    measure: `API calls vs batch minimum, ${label}`,
    result: `${t.calls.requests.toLocaleString('en-US')} calls for ${of}; minimum ${minimum.toLocaleString('en-US')} (${recordsPerCall(crm, connector)} records per call) = ${ratio.toFixed(2)}x`,
    aim: `<= ${AIMS.callsRatio}x`,
    met: ratio <= AIMS.callsRatio,
  };
}

function realLimitRows(crm: CrmId, connector: OutboundConnector, t: Throughput): Row[] {
  const records = total(t.written);
  const minimum = minimumCalls(crm, connector, t.written);
  const ceiling = ceilingOf(crm, minimum ? records / minimum : connector.batchSize);
  const perSecond = records / t.seconds;
  const limited = t.calls.byStatus['429'] ?? 0;
  const share429 = limited / Math.max(1, t.calls.requests);
  let limitRow: Row;
  if (ceiling.perSecond) {
    const share = perSecond / ceiling.perSecond;
    limitRow = {
      measure: 'records/s, real limits (rateLimitFactor 1) vs rate x batch size',
      result: `${rateOf(t)}${sliceNote(t)} = ${(share * 100).toFixed(1)}% of ${fmt(ceiling.perSecond)}/s (${ceiling.how})`,
      aim: `>= ${AIMS.shareOfCeiling * 100}%`,
      met: share >= AIMS.shareOfCeiling,
    };
  } else {
    // Only a daily allocation: no rate to reach; what counts is how many records a day's calls carry.
    const perDay = ceiling.perDay ? ` The allocation carries ${fmt(ceiling.perDay)} records/day at full batches, ${fmt((records / Math.max(1, t.calls.requests)) * (ceiling.perDay / (records / Math.max(1, minimum))))} at this run's calls per record` : '';
    limitRow = { measure: 'records/s, real limits (rateLimitFactor 1)', result: `${rateOf(t)}${sliceNote(t)}; no per-second limit (${ceiling.how}).${perDay}`, aim: 'no per-second limit' };
  }
  return [
    limitRow,
    {
      measure: 'share of 429 answers, real limits',
      result: `${(share429 * 100).toFixed(2)}% (${limited} of ${t.calls.requests.toLocaleString('en-US')}; by status ${JSON.stringify(t.calls.byStatus)})`,
      aim: `< ${AIMS.share429 * 100}%`,
      met: share429 < AIMS.share429,
    },
  ];
}

function printDetails(label: string, t: Throughput): void {
  const top = [...t.endpoints].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    `\n${label}: ${fmt(t.seconds)} s${t.complete ? '' : ' (time-boxed)'}, ingest done after ${Number.isNaN(t.ingestSeconds) ? 'not yet' : `${fmt(t.ingestSeconds)} s`}; ` +
      `sync items ${JSON.stringify(t.states)}; written ${JSON.stringify(t.written)}\n  calls by endpoint: ` +
      top.map(([k, n]) => `${k}: ${n}`).join('; '),
  );
}

const total = (written: Record<string, number>) => Object.values(written).reduce((a, b) => a + b, 0);
const rateOf = (t: Throughput) => `${fmt(total(t.written) / t.seconds)} records/s`;
const sliceNote = (t: Throughput) => (t.complete ? '' : ` (first ${fmt(t.seconds)} s of the run)`);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
const loadNote = () => `, load average ${loadavg()[0]!.toFixed(2)}${loadavg()[0]! > 0.5 ? ' (busy machine)' : ''}`;

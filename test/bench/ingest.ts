/**
 * The ingest benchmark: single PUTs at 32 connections and /v1/batch, through HTTP on
 * loopback against `crm-sync serve` in a child process, then a check that every write arrived.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { createBenchDatabase, postgresAdminUrl, type BenchDatabase } from './databases.js';
import { clientBody, conversationBody, MESSAGES_PER_CONVERSATION } from './fixtures.js';
import { LoadClient, type HttpCall } from './load.js';
import type { BenchOptions } from './options.js';
import { summariseProfiles } from './profile.js';
import { describeFailures, printTable, rate, singleRequestRows, type Row } from './report.js';
import { createWorkspaceByCli, ServerProcess } from './server-process.js';

const CONNECTIONS = 32;
const CLIENTS_PER_BATCH = 500;
const CONVERSATIONS_PER_BATCH = 100;
/** Batches in flight at once: enough to keep the server busy while one is parsed. */
const BATCH_CONCURRENCY = 4;
const AIMS = { perSecond: 1_500, p99Ms: 50, batchClientsPerSecond: 10_000 };

export async function run(options: BenchOptions): Promise<boolean> {
  const n = options.quick ? 2_000 : 20_000;
  console.log(
    `ingest benchmark: ${n.toLocaleString('en-US')} clients and ${n.toLocaleString('en-US')} conversations of ${MESSAGES_PER_CONVERSATION} messages, ` +
      `single PUTs at ${CONNECTIONS} connections, then the same volume through /v1/batch (new ids)\n` +
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}` +
      (loadavg()[0]! > 0.5 ? '  <- the machine is busy: figures will be low' : ''),
  );
  let ok = true;
  for (const dialect of options.dialects) {
    if (dialect === 'postgres' && !postgresAdminUrl()) {
      console.log('\nPostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (an admin URL; a fresh database is created and dropped)');
      continue;
    }
    const db = await createBenchDatabase(dialect);
    try {
      ok = (await runOn(db, n, options)) && ok;
    } finally {
      await db.drop();
    }
  }
  return ok;
}

async function runOn(db: BenchDatabase, n: number, options: BenchOptions): Promise<boolean> {
  const started = performance.now();
  const profileDir = options.profile ? mkdtempSync(join(tmpdir(), 'crm-sync-prof-')) : undefined;
  const server = await ServerProcess.start(db.env, { useDist: options.useDist, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  const problems: string[] = [];
  const rows: Row[] = [];
  try {
    const workspace = await createWorkspaceByCli(db.env, options.useDist);
    const load = new LoadClient(server.url, workspace.apiKey, CONNECTIONS);
    const measure = async (label: string, total: number, concurrency: number, calls: HttpCall[]) => {
      const cpu = server.cpuSeconds();
      const ownCpu = process.cpuUsage();
      const result = await load.run(total, concurrency, (i) => calls[i]!);
      const own = process.cpuUsage(ownCpu);
      const failure = describeFailures(label, result);
      if (failure) problems.push(failure);
      return { result, cpu: { server: server.cpuSeconds() - cpu, loadGenerator: (own.user + own.system) / 1e6 } };
    };
    const put = (kind: 'clients' | 'conversations', id: string, body: unknown): HttpCall => ({ method: 'PUT', path: `/v1/${kind}/${id}`, body: JSON.stringify(body) });

    // Warm-up (the JIT, the page cache, the pool); these records count in the final check.
    const warm = Math.min(500, n / 10);
    await measure('warm-up', warm * 2, CONNECTIONS, [
      ...range(warm).map((i) => put('clients', `w-${i}`, clientBody(i))),
      ...range(warm).map((i) => put('conversations', `wcv-${i}`, conversationBody(i, `w-${i}`))),
    ]);

    const clients = await measure('PUT clients', n, CONNECTIONS, range(n).map((i) => put('clients', `c-${i}`, clientBody(i))));
    rows.push(...singleRequestRows('PUT /v1/clients/{id}', clients.result, clients.cpu, AIMS));

    const conversations = await measure('PUT conversations', n, CONNECTIONS, range(n).map((i) => put('conversations', `cv-${i}`, conversationBody(i, `c-${i}`))));
    rows.push(...singleRequestRows(`PUT /v1/conversations/{id} (${MESSAGES_PER_CONVERSATION} messages)`, conversations.result, conversations.cpu, AIMS));

    const clientBatches = chunked(n, CLIENTS_PER_BATCH).map(([from, to]) => ({
      method: 'POST' as const,
      path: '/v1/batch',
      body: JSON.stringify({ clients: range(to - from, from).map((i) => ({ id: `bc-${i}`, ...clientBody(i) })) }),
    }));
    const batchClients = await measure('batch clients', clientBatches.length, BATCH_CONCURRENCY, clientBatches);
    const clientsPerSecond = n / batchClients.result.seconds;
    rows.push({
      measure: `POST /v1/batch, ${CLIENTS_PER_BATCH} clients each`,
      result: `${rate(n, batchClients.result.seconds, 'clients')} (server CPU ${perRecordMicros(batchClients.cpu.server, n)} µs/client)`,
      aim: `>= ${AIMS.batchClientsPerSecond.toLocaleString('en-US')}/s`,
      met: clientsPerSecond >= AIMS.batchClientsPerSecond,
    });

    const conversationBatches = chunked(n, CONVERSATIONS_PER_BATCH).map(([from, to]) => ({
      method: 'POST' as const,
      path: '/v1/batch',
      body: JSON.stringify({ conversations: range(to - from, from).map((i) => ({ id: `bcv-${i}`, ...conversationBody(i, `bc-${i}`) })) }),
    }));
    const batchConversations = await measure('batch conversations', conversationBatches.length, BATCH_CONCURRENCY, conversationBatches);
    const s = batchConversations.result.seconds;
    rows.push({
      measure: `POST /v1/batch, ${CONVERSATIONS_PER_BATCH} conversations each`,
      result: `${rate(n, s, 'conversations')} = ${rate(n * MESSAGES_PER_CONVERSATION, s, 'messages')} (server CPU ${perRecordMicros(batchConversations.cpu.server, n)} µs/conversation)`,
      aim: '',
    });

    rows.push({ measure: 'server peak RSS (VmHWM)', result: `${server.peakRssMiB().toFixed(0)} MiB`, aim: '' });
    problems.push(...(await checkEverythingArrived(load, db, workspace.workspaceId, n, warm)));
    rows.push({ measure: 'every write found afterwards', result: problems.length ? `NO (${problems.length} problems)` : 'yes', aim: 'yes', met: problems.length === 0 });
    load.close();
  } finally {
    await server.stop();
  }
  if (db.dialect !== 'sqlite') for (const r of rows) delete r.met;
  const runtime = options.useDist ? 'dist/ (what npm start runs)' : 'src/ through tsx';
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  printTable(`ingest on ${db.dialect}${options.quick ? ' (--quick: a tenth of the volume)' : ''}, server from ${runtime}, ${seconds} s`, rows);
  for (const p of problems) console.log(`PROBLEM: ${p}`);
  if (problems.length && server.log) console.log(`server output:\n${server.log}`);
  if (profileDir) {
    console.log(`\nserver CPU profile (${profileDir}):\n${summariseProfiles(profileDir)}`);
  }
  return problems.length === 0;
}

/** Reads a few records back over HTTP and counts every row in the store: speed for lost writes is no speed. */
async function checkEverythingArrived(load: LoadClient, db: BenchDatabase, workspaceId: string, n: number, warm: number): Promise<string[]> {
  const problems: string[] = [];
  for (const i of [0, Math.floor(n / 2), n - 1]) {
    for (const id of [`c-${i}`, `bc-${i}`]) {
      const res = await load.send({ method: 'GET', path: `/v1/clients/${id}` });
      const body = res.status === 200 ? (JSON.parse(res.body) as { firstName?: string; emails?: { value: string }[] }) : undefined;
      if (body?.firstName !== `Ana${i}` || body.emails?.[0]?.value !== `ana.${i}@acme${i % 97}.io`) problems.push(`GET /v1/clients/${id}: ${res.status} ${res.body.slice(0, 200)}`);
    }
    for (const id of [`cv-${i}`, `bcv-${i}`]) {
      const res = await load.send({ method: 'GET', path: `/v1/conversations/${id}` });
      const body = res.status === 200 ? (JSON.parse(res.body) as { messages?: unknown[] }) : undefined;
      if (body?.messages?.length !== MESSAGES_PER_CONVERSATION) problems.push(`GET /v1/conversations/${id}: ${res.status} ${res.body.slice(0, 200)}`);
    }
  }
  const store = Store.open(db.store);
  try {
    const count = async (table: 'clients' | 'conversations' | 'messages' | 'outbox') => {
      const row = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const records = warm + 2 * n;
    const expected = { clients: records, conversations: records, messages: records * MESSAGES_PER_CONVERSATION, outbox: 2 * records };
    for (const [table, want] of Object.entries(expected) as [keyof typeof expected, number][]) {
      const got = await count(table);
      if (got !== want) problems.push(`${table}: ${got} rows in the workspace, ${want} sent`);
    }
  } finally {
    await store.close();
  }
  return problems;
}

const perRecordMicros = (seconds: number, records: number) => Math.round((seconds / records) * 1e6).toLocaleString('en-US');

const range = (length: number, from = 0) => Array.from({ length }, (_, i) => from + i);

function chunked(total: number, size: number): [number, number][] {
  return range(Math.ceil(total / size)).map((b) => [b * size, Math.min(total, (b + 1) * size)]);
}

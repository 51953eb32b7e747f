/**
 * Large batches at once: three concurrent POST /v1/batch of about 27 MiB each against
 * `crm-sync serve` in a child process, while /healthz is polled. Reports the server's peak RSS,
 * the longest /healthz answer (the event loop's stall) and what each batch was answered.
 * A refused batch (503 + Retry-After) is sent again after the delay, as a client should, so
 * every run does the same work.
 */
import { clientBody, conversationBody } from './fixtures.js';
import { createBenchDatabase } from './databases.js';
import type { BenchOptions } from './options.js';
import { createWorkspaceByCli, ServerProcess } from './server-process.js';

const BATCHES = 3;
const TARGET_MIB = 27;

export async function run(options: BenchOptions): Promise<boolean> {
  let ok = true;
  for (const dialect of options.dialects) {
    if (dialect === 'postgres' && !process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) continue;
    const db = await createBenchDatabase(dialect);
    const server = await ServerProcess.start(db.env, { useDist: options.useDist });
    try {
      const { apiKey } = await createWorkspaceByCli(db.env, options.useDist);
      ok = (await measure(dialect, server, apiKey)) && ok;
    } finally {
      await server.stop();
      await db.drop();
    }
  }
  return ok;
}

/** A batch of clients and their conversations, padded with messages to about TARGET_MIB. */
function batchBody(tag: string): string {
  const clients = Array.from({ length: 5_000 }, (_, i) => ({ id: `${tag}-c${i}`, ...clientBody(i) }));
  const perConversation = (TARGET_MIB * 1024 * 1024 - JSON.stringify({ clients }).length) / 5_000;
  const base = conversationBody(0, 'x');
  const messages = Math.max(1, Math.round((perConversation / JSON.stringify(base).length) * base.messages!.length));
  const conversations = Array.from({ length: 5_000 }, (_, i) => {
    const c = conversationBody(i, `${tag}-c${i}`);
    const m = Array.from({ length: messages }, (_, k) => ({ ...c.messages![k % c.messages!.length]!, id: `m${k}` }));
    return { id: `${tag}-v${i}`, ...c, messages: m };
  });
  return JSON.stringify({ clients, conversations });
}

async function measure(dialect: string, server: ServerProcess, apiKey: string): Promise<boolean> {
  const bodies = Array.from({ length: BATCHES }, (_, i) => batchBody(`b${i}`));
  const idleRss = server.peakRssMiB();
  let polling = true;
  let worstHealthMs = 0;
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      const up = await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer(), () => undefined);
      if (!up) return;
      worstHealthMs = Math.max(worstHealthMs, performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const started = performance.now();
  const outcomes = await Promise.all(
    bodies.map(async (body) => {
      const answers: string[] = [];
      for (;;) {
        const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body }).catch((e: Error) => e);
        if (res instanceof Error) return { answers: [...answers, `no answer (${String((res.cause as Error | undefined)?.message ?? res.message)})`], ok: false };
        await res.arrayBuffer();
        const retryAfter = res.headers.get('retry-after');
        answers.push(retryAfter ? `${res.status} (Retry-After ${retryAfter})` : String(res.status));
        if (res.status !== 503 || !retryAfter) return { answers, ok: res.status === 200 };
        await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  polling = false;
  await poller;
  if (!outcomes.every((o) => o.ok)) console.log(`the server's last output:\n${server.log.slice(-3_000)}`);
  console.log(`\n${dialect}: ${BATCHES} concurrent batches of ${(bodies[0]!.length / 1024 / 1024).toFixed(1)} MiB (5,000 clients + 5,000 conversations each)`);
  console.log(`  peak RSS of the server: ${server.peakRssMiB().toFixed(0)} MiB (${idleRss.toFixed(0)} MiB before the batches)`);
  console.log(`  longest /healthz answer meanwhile: ${worstHealthMs.toFixed(0)} ms`);
  console.log(`  all three written in ${seconds.toFixed(1)} s; answers: ${outcomes.map((o) => o.answers.join(' -> ')).join(' | ')}`);
  return outcomes.every((o) => o.ok);
}

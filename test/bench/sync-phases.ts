import type { CrmId } from '../../src/domain/crm.js';
import { LoadClient, type HttpCall } from './load.js';
import type { NewWorkspace } from './server-process.js';
import type { SyncProgress, ItemStates } from './sync-progress.js';
import type { BenchSandbox, CallCounts, ConnectRecipe } from './sync-sandbox.js';
import { CONVERSATIONS_PER_CLIENT, emailOf, syncClient, syncConversation } from './sync-volume.js';

const CLIENTS_PER_BATCH = 500;
const CONVERSATIONS_PER_BATCH = 100;

/** A connected CRM in a fresh workspace: the bench's API client and the connection. */
export interface Connected {
  crm: CrmId;
  load: LoadClient;
  connectionId: string;
  serverUrl: string;
  apiKey: string;
}

export async function connect(serverUrl: string, ws: NewWorkspace, crm: CrmId, recipe: ConnectRecipe): Promise<Connected> {
  const apiKey = ws.apiKey;
  const load = new LoadClient(serverUrl, apiKey, 8);
  if ('oauth' in recipe) return { crm, load, connectionId: await approveOAuth(serverUrl, ws, crm, recipe.oauth.query), serverUrl, apiKey };
  const res = await load.send({ method: 'POST', path: '/v1/connections', body: JSON.stringify(recipe.body) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connecting ${crm}: ${res.status} ${res.body}`);
  return { crm, load, connectionId: (JSON.parse(res.body) as { id: string }).id, serverUrl, apiKey };
}

/**
 * The OAuth dance as an admin's browser does it: sign in, start (POST with the CSRF token), the
 * sandbox's consent page, approve, the callback in the same session.
 */
async function approveOAuth(serverUrl: string, admin: { adminEmail: string; adminPassword: string }, crm: CrmId, query: Record<string, string>): Promise<string> {
  const session = await fetch(`${serverUrl}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.adminEmail, password: admin.adminPassword }) });
  if (session.status !== 200) throw new Error(`signing in for ${crm}: ${session.status} ${await session.text()}`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const start = await fetch(`${serverUrl}/v1/oauth/${crm}/start`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(query) });
  if (start.status !== 200) throw new Error(`OAuth start for ${crm}: ${start.status} ${await start.text()}`);
  const consent = new URL(((await start.json()) as { authorizeUrl: string }).authorizeUrl);
  const form = new URLSearchParams(Object.fromEntries(consent.searchParams));
  form.set('decision', 'approve');
  const approved = await fetch(consent, { method: 'POST', body: form, redirect: 'manual' });
  const callback = approved.headers.get('location');
  if (!callback) throw new Error(`${crm} consent did not redirect: ${approved.status} ${await approved.text()}`);
  const back = new URL((await fetch(callback, { redirect: 'manual', headers: { cookie } })).headers.get('location') ?? '', serverUrl);
  const id = back.searchParams.get('connection');
  if (back.searchParams.get('status') !== 'connected' || !id) throw new Error(`OAuth for ${crm} ended at ${back.toString()}`);
  return id;
}

/**
 * Disconnects, then waits until the CRM sees no more calls for a second (the worker finishes
 * the slice it is in), so the next phase counts only its own calls.
 */
export async function disconnect(c: Connected, sandbox: BenchSandbox): Promise<void> {
  const res = await fetch(`${c.serverUrl}/v1/connections/${c.connectionId}`, { method: 'DELETE', headers: { authorization: `Bearer ${c.apiKey}` } });
  if (res.status !== 200) throw new Error(`disconnecting ${c.crm}: ${res.status} ${await res.text()}`);
  let last = -1;
  for (let i = 0; i < 30; i++) {
    const now = (await sandbox.calls(c.crm)).requests;
    if (now === last) break;
    last = now;
    await sleep(1_000);
  }
  c.load.close();
}

/** PUT one client at a time on an idle system and time until the sandbox holds it (polled in process every few ms). */
export async function latencies(c: Connected, sandbox: BenchSandbox, phase: number, count: number, gapMs = 0): Promise<{ sorted: Float64Array; missing: number }> {
  const out: number[] = [];
  let missing = 0;
  let previous = -Infinity;
  for (let i = 0; i < count; i++) {
    const { id, ...body } = syncClient(phase, i);
    const email = emailOf(phase, i);
    await sleep(Math.max(0, previous + gapMs - performance.now()));
    const started = (previous = performance.now());
    const res = await c.load.send({ method: 'PUT', path: `/v1/clients/${id}`, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`PUT /v1/clients/${id}: ${res.status} ${res.body}`);
    while (!sandbox.holds(c.crm, email) && performance.now() - started < 10_000) await sleep(3);
    if (sandbox.holds(c.crm, email)) out.push(performance.now() - started);
    else missing++;
  }
  return { sorted: Float64Array.from(out).sort(), missing };
}

export interface Throughput {
  seconds: number;
  /** Every sync item reached the CRM (false: the run was cut at the time box). */
  complete: boolean;
  calls: CallCounts;
  /** Records the CRM gained, by object. */
  written: Record<string, number>;
  endpoints: Map<string, number>;
  states: ItemStates;
  /** One failed item's error, if any failed. */
  failure?: string;
  ingestSeconds: number;
}

/**
 * Ingests the volume through /v1/batch and measures from the first batch until no sync item
 * waits. After `sliceSeconds`, a run whose projected length exceeds `longestSeconds` stops
 * there and reports the slice.
 */
export async function throughput(
  c: Connected,
  sandbox: BenchSandbox,
  progress: SyncProgress,
  o: { phase: number; clients: number; sliceSeconds: number; longestSeconds: number },
): Promise<Throughput> {
  const items = o.clients * (1 + CONVERSATIONS_PER_CLIENT);
  const calls0 = await sandbox.calls(c.crm);
  const records0 = sandbox.recordCounts(c.crm);
  sandbox.takeEndpointCounts(c.crm);
  const started = performance.now();
  let ingestSeconds = NaN;
  const ingest = ingestVolume(c.load, o.phase, o.clients).then(() => (ingestSeconds = (performance.now() - started) / 1000));
  let failure: unknown;
  ingest.catch((err: unknown) => (failure = err));

  let states: ItemStates;
  let complete = false;
  for (;;) {
    await sleep(500);
    if (failure) throw failure;
    states = await progress.states(c.connectionId);
    const elapsed = (performance.now() - started) / 1000;
    const settled = states.synced + states.skipped + states.failed;
    if (!Number.isNaN(ingestSeconds) && states.waiting === 0 && settled >= items) {
      complete = true;
      break;
    }
    const projected = settled > 0 ? (elapsed * items) / settled : Infinity;
    if (elapsed >= o.sliceSeconds && projected > o.longestSeconds) break;
    if (elapsed >= o.longestSeconds * 1.25) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const calls1 = await sandbox.calls(c.crm);
  const records1 = sandbox.recordCounts(c.crm);
  const endpoints = sandbox.takeEndpointCounts(c.crm);
  await ingest.catch(() => undefined);
  const written = Object.fromEntries(Object.entries(records1).map(([k, n]) => [k, n - (records0[k] ?? 0)]).filter(([, n]) => (n as number) > 0));
  const byStatus = Object.fromEntries(Object.entries(calls1.byStatus).map(([s, n]) => [s, n - (calls0.byStatus[s] ?? 0)]).filter(([, n]) => (n as number) > 0));
  const failed = states.failed ? await progress.firstFailure(c.connectionId) : undefined;
  return { seconds, complete, calls: { requests: calls1.requests - calls0.requests, byStatus }, written, endpoints, states, failure: failed, ingestSeconds };
}

async function ingestVolume(load: LoadClient, phase: number, clients: number): Promise<void> {
  const send = async (call: HttpCall) => {
    const res = await load.send(call);
    if (res.status >= 300) throw new Error(`${call.method} ${call.path}: ${res.status} ${res.body.slice(0, 300)}`);
  };
  for (let from = 0; from < clients; from += CLIENTS_PER_BATCH) {
    const batch = range(from, Math.min(clients, from + CLIENTS_PER_BATCH)).map((i) => syncClient(phase, i));
    await send({ method: 'POST', path: '/v1/batch', body: JSON.stringify({ clients: batch }) });
  }
  const conversations = range(0, clients).flatMap((i) => range(0, CONVERSATIONS_PER_CLIENT).map((k) => [i, k] as const));
  for (let from = 0; from < conversations.length; from += CONVERSATIONS_PER_BATCH) {
    const batch = conversations.slice(from, from + CONVERSATIONS_PER_BATCH).map(([i, k]) => syncConversation(phase, i, k));
    await send({ method: 'POST', path: '/v1/batch', body: JSON.stringify({ conversations: batch }) });
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

import type { Logger } from 'pino';
import { applyClients, prepareClients } from '../ingest/clients.js';
import { applyConversations, prepareConversations } from '../ingest/conversations.js';
import type { Store } from '../store/store.js';
import { createWorkspace } from '../workspaces/create.js';
import { sampleClient, sampleConversation } from './samples.js';

export const DEMO_WORKSPACE = 'Demo workspace';
const DEMO_ADMIN = 'admin@demo.crm-sync.local';
const STEP_MS = 5_000;
/** A forgotten demo stops growing after this many steps per start (about an hour). */
const MAX_STEPS = 720;

export interface DemoDeps {
  store: Store;
  url: string;
  /** CRM_SYNC_DEMO: off means no demo at all, so no credentials are printed to the console or its logs. */
  enabled: boolean;
  /** Feed sample data while the demo is on (tests turn it off). Default true. */
  trickle?: boolean;
  /** Wakes the sync worker after a write, as the ingest routes do. */
  wake: () => void;
  logger: Logger;
  print?: (text: string) => void;
}

/**
 * The demo: on an empty store, a workspace whose sign-in and API key are printed once (only
 * their hashes are stored); then, in that workspace, a new client or a WhatsApp, e-mail or
 * call conversation every few seconds, so a connected sandbox CRM visibly fills up.
 */
export async function startDemo(deps: DemoDeps): Promise<{ stop(): void }> {
  if (!deps.enabled) return { stop: () => undefined };
  const trickle = deps.trickle ?? true;
  const print = deps.print ?? ((t: string) => process.stdout.write(t));
  const workspaces = await deps.store.db.selectFrom('workspaces').select(['id', 'name', 'default_country']).orderBy('created_at').execute();
  let demo = workspaces.find((w) => w.name === DEMO_WORKSPACE);
  if (workspaces.length === 0) {
    const created = await createWorkspace(deps.store, { name: DEMO_WORKSPACE, adminEmail: DEMO_ADMIN, defaultCountry: 'ES' });
    demo = { id: created.workspaceId, name: DEMO_WORKSPACE, default_country: 'ES' };
    print(banner(deps.url, created.adminEmail, created.adminPassword, created.apiKey));
  }
  if (!demo || !trickle) return { stop: () => undefined };

  const ws = demo;
  let step = 0;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    if (++step > MAX_STEPS) return clearInterval(timer);
    running = true;
    feedDemo(deps.store, ws.id, ws.default_country)
      .then(() => deps.wake())
      .catch((err: unknown) => deps.logger.warn({ err }, 'demo: a sample write failed'))
      .finally(() => (running = false));
  }, STEP_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** One step: every other step a new client, otherwise a conversation with the newest client. */
export async function feedDemo(store: Store, workspaceId: string, country: string): Promise<void> {
  const row = await store.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  const clients = Number(row?.n ?? 0);
  const conversations = Number(
    (await store.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst())?.n ?? 0,
  );
  const now = Date.now();
  if (clients === 0 || conversations >= clients) {
    const prepared = prepareClients([{ id: `demo-client-${clients + 1}`, input: sampleClient(clients + 1), path: '' }], country);
    if (!prepared.ok) throw new Error(`sample client refused: ${JSON.stringify(prepared.details)}`);
    await store.write((tx) => applyClients(tx, workspaceId, prepared.items, now));
    return;
  }
  const n = conversations + 1;
  const client = sampleClient(clients);
  const prepared = prepareConversations([{ id: `demo-conversation-${n}`, input: sampleConversation(n, `demo-client-${clients}`, `${client.firstName} ${client.lastName}`, now), path: '' }], country);
  if (!prepared.ok) throw new Error(`sample conversation refused: ${JSON.stringify(prepared.details)}`);
  await store.write((tx) => applyConversations(tx, workspaceId, prepared.items, now));
}

function banner(url: string, email: string, password: string, apiKey: string): string {
  return [
    '',
    '  crm-sync demo workspace created (shown once: only hashes are stored)',
    `    Admin UI:  ${url}/`,
    `    E-mail:    ${email}`,
    `    Password:  ${password}`,
    `    API key:   ${apiKey}`,
    `    Sandbox CRMs: ${url}/sandbox`,
    '  Sample clients and conversations arrive every few seconds (CRM_SYNC_DEMO=0 turns the demo off).',
    '  Connect a sandbox CRM under CRM connections and watch its records fill up.',
    '',
    '',
  ].join('\n');
}

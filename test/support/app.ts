import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Store } from '../../src/store/store.js';
import { createWorkspace, type NewWorkspace } from '../../src/workspaces/create.js';

export interface TestApp {
  app: FastifyInstance;
  workspace: NewWorkspace;
  /** Authorization header for the workspace's API key. */
  auth: { authorization: string };
}

/** The ingest API over `store`, with a fresh workspace whose default country is ES. */
export async function buildTestApp(store: Store): Promise<TestApp> {
  const app = await buildApp({ store, config: { publicUrl: 'http://localhost:3000' } });
  const workspace = await createWorkspace(store, { name: 'Test', defaultCountry: 'ES' });
  return { app, workspace, auth: { authorization: `Bearer ${workspace.apiKey}` } };
}

/** Row counts of every table a write can touch: equal counts before and after = nothing written. */
export async function storeFingerprint(store: Store): Promise<string> {
  const tables = ['clients', 'client_identities', 'client_segments', 'companies', 'conversations', 'conversation_participants', 'messages', 'analyses', 'outbox'] as const;
  const counts: string[] = [];
  for (const t of tables) {
    const r = await store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts.push(`${t}=${Number(r.n)}`);
  }
  const versions = await store.db.selectFrom('clients').select((eb) => eb.fn.sum<number>('version').as('v')).executeTakeFirstOrThrow();
  return `${counts.join(',')},clientVersions=${Number(versions.v ?? 0)}`;
}

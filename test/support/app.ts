import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { Vault } from '../../src/auth/vault.js';
import { buildApp } from '../../src/http/app.js';
import type { Store } from '../../src/store/store.js';
import { createWorkspace, type NewWorkspace } from '../../src/workspaces/create.js';

export interface TestApp {
  app: FastifyInstance;
  workspace: NewWorkspace;
  /** Authorization header for the workspace's API key. */
  auth: { authorization: string };
}

/** What buildApp needs in a test that does not reach any CRM: a throwaway vault key, no OAuth apps. */
export function testAppDeps(store: Store) {
  return { store, vault: new Vault(randomBytes(32)), config: { publicUrl: 'http://localhost:3000', sandboxEnabled: true, oauthApps: {} } };
}

/** The ingest API over `store`, with a fresh workspace whose default country is ES. */
export async function buildTestApp(store: Store): Promise<TestApp> {
  const app = await buildApp(testAppDeps(store));
  const workspace = await createWorkspace(store, { name: 'Test', defaultCountry: 'ES' });
  return { app, workspace, auth: { authorization: `Bearer ${workspace.apiKey}` } };
}

/** Row counts of every table a write can touch, and the sum of versions, in one query: equal before and after = nothing written. */
export async function storeFingerprint(store: Store): Promise<string> {
  const tables = ['clients', 'client_identities', 'client_segments', 'companies', 'conversations', 'conversation_participants', 'messages', 'analyses', 'outbox'];
  const parts = tables.map((t) => `(select count(*) from ${t})`).concat('(select coalesce(sum(version), 0) from clients)', '(select coalesce(sum(version), 0) from conversations)');
  const { rows } = await sql.raw<{ f: string }>(`select ${parts.join(" || ',' || ")} as f`).execute(store.db);
  return String(rows[0]?.f);
}

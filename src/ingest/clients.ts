import { normalizeClient, type ClientBody, type ClientInput } from '../domain/client.js';
import { contentHash } from '../domain/hash.js';
import { replaceClientIdentities, replaceClientSegments, saveClients } from '../store/clients.js';
import { enqueueChanges } from '../store/outbox.js';
import type { Tx } from '../store/store.js';
import { findVersions } from '../store/versions.js';
import { collect, planWrites, type EntityResult, type Prepared } from './types.js';

export function prepareClients(items: { id: string; input: ClientInput; path: string }[], defaultCountry: string): Prepared<ClientBody> {
  return collect(
    items.map((i) => {
      const r = normalizeClient(i.id, i.input, defaultCountry, i.path);
      return r.ok ? { ok: true as const, value: r.body } : r;
    }),
  );
}

/** Stores the clients that changed, with one outbox row each; identical bodies change nothing. */
export async function applyClients(tx: Tx, workspaceId: string, bodies: ClientBody[], now: number): Promise<EntityResult[]> {
  const stored = await findVersions(tx, 'clients', workspaceId, bodies.map((b) => b.id));
  const { results, changed } = planWrites(bodies, stored, contentHash, now);
  if (changed.length) {
    await saveClients(tx, workspaceId, changed, now);
    await replaceClientIdentities(tx, workspaceId, changed.map((c) => c.body));
    await replaceClientSegments(tx, workspaceId, changed.map((c) => c.body));
    await enqueueChanges(
      tx,
      changed.map((c) => ({ workspaceId, entityType: 'client', entityId: c.body.id, change: c.created ? 'created' : 'updated', version: c.version })),
      now,
    );
  }
  return results;
}

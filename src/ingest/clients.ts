import { normalizeClient, type ClientBody, type ClientInput } from '../domain/client.js';
import { contentHash } from '../domain/hash.js';
import { replaceClientIdentities, replaceClientSegments, saveClients } from '../store/clients.js';
import { enqueueChanges } from '../store/outbox.js';
import type { Tx } from '../store/store.js';
import { findVersions } from '../store/versions.js';
import { lockRecords } from '../store/entity-locks.js';
import { collect, planWrites, type Prepared, type StampedResult } from './types.js';

export function prepareClients(items: { id: string; input: ClientInput; path: string }[], defaultCountry: string): Prepared<ClientBody> {
  return collect(
    items.map((i) => {
      const r = normalizeClient(i.id, i.input, defaultCountry, i.path);
      return r.ok ? { ok: true as const, value: r.body } : r;
    }),
  );
}

/** Stores the clients that changed, with one outbox row each; identical bodies change nothing. */
export async function applyClients(tx: Tx, workspaceId: string, bodies: ClientBody[], now: number): Promise<StampedResult[]> {
  await lockRecords(tx, 'clients', workspaceId, bodies.map((b) => b.id));
  const stored = await findVersions(tx, 'clients', workspaceId, bodies.map((b) => b.id));
  const { results, changed } = planWrites(bodies, stored, contentHash, now);
  if (changed.length) {
    await saveClients(tx, workspaceId, changed, now);
    // A new client has no identities or segments to delete first.
    const replaced = new Set(changed.filter((c) => !c.created).map((c) => c.body.id));
    await replaceClientIdentities(tx, workspaceId, changed.map((c) => c.body), replaced);
    await replaceClientSegments(tx, workspaceId, changed.map((c) => c.body), replaced);
    await enqueueChanges(
      tx,
      changed.map((c) => ({ workspaceId, entityType: 'client', entityId: c.body.id, change: c.created ? 'created' : 'updated', version: c.version })),
      now,
    );
  }
  return results;
}

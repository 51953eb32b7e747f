import { dealBody, type DealBody, type DealInput } from '../domain/deal.js';
import { contentHash } from '../domain/hash.js';
import { saveDeals } from '../store/deals.js';
import { enqueueChanges } from '../store/outbox.js';
import type { Tx } from '../store/store.js';
import { findVersions } from '../store/versions.js';
import { lockRecords } from '../store/entity-locks.js';
import { planWrites, type StampedResult } from './types.js';

export function prepareDeals(items: { id: string; input: DealInput }[]): DealBody[] {
  return items.map((i) => dealBody(i.id, i.input));
}

/** Stores the deals that changed, each with an outbox row in the same transaction; identical bodies change nothing. */
export async function applyDeals(tx: Tx, workspaceId: string, bodies: DealBody[], now: number): Promise<StampedResult[]> {
  await lockRecords(tx, 'deals', workspaceId, bodies.map((b) => b.id));
  const stored = await findVersions(tx, 'deals', workspaceId, bodies.map((b) => b.id));
  const { results, changed } = planWrites(bodies, stored, contentHash, now);
  if (changed.length) {
    await saveDeals(tx, workspaceId, changed, now);
    await enqueueChanges(
      tx,
      changed.map((c) => ({ workspaceId, entityType: 'deal', entityId: c.body.id, change: c.created ? 'created' : 'updated', version: c.version })),
      now,
    );
  }
  return results;
}

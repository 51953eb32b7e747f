import { associationType, type AssociationType } from './association-types.js';
import type { ObjectType } from './objects.js';

/** One directed link with its type ids, as v4 reports it. */
export interface AssociationLink {
  toId: string;
  types: AssociationType[];
}

const key = (type: ObjectType, id: string, to: ObjectType) => `${type}:${id}>${to}`;

/**
 * Associations between records, stored in both directions (HubSpot keeps the
 * inverse type id on the other side), in the order they were made.
 */
export class AssociationStore {
  private readonly links = new Map<string, Map<string, Set<number>>>();

  /** Adds `type` from one record to another, and its inverse back. */
  add(type: AssociationType, fromId: string, toId: string): void {
    this.side(type.from, fromId, type.to, toId).add(type.typeId);
    this.side(type.to, toId, type.from, fromId).add(type.inverseTypeId);
  }

  /** Removes every type between two records (v4 DELETE), both directions. */
  removeAll(from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
    this.links.get(key(from, fromId, to))?.delete(toId);
    this.links.get(key(to, toId, from))?.delete(fromId);
  }

  /** Forgets a deleted record's links, as HubSpot does when a record is archived. */
  dropRecord(type: ObjectType, id: string, others: readonly ObjectType[]): void {
    for (const other of others) {
      const mine = this.links.get(key(type, id, other));
      if (!mine) continue;
      for (const toId of mine.keys()) this.links.get(key(other, toId, type))?.delete(id);
      this.links.delete(key(type, id, other));
    }
  }

  list(from: ObjectType, fromId: string, to: ObjectType): AssociationLink[] {
    const targets = this.links.get(key(from, fromId, to));
    if (!targets) return [];
    return [...targets.entries()]
      .filter(([, ids]) => ids.size > 0)
      .map(([toId, ids]) => ({
        toId,
        types: [...ids].map((typeId) => associationType(from, to, typeId)).filter((t): t is AssociationType => t !== undefined),
      }));
  }

  clear(): void {
    this.links.clear();
  }

  private side(from: ObjectType, fromId: string, to: ObjectType, toId: string): Set<number> {
    const k = key(from, fromId, to);
    let targets = this.links.get(k);
    if (!targets) this.links.set(k, (targets = new Map()));
    let ids = targets.get(toId);
    if (!ids) targets.set(toId, (ids = new Set()));
    return ids;
  }
}

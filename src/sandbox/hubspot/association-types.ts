import { OBJECTS, type ObjectType } from './objects.js';

/**
 * HubSpot's own (HUBSPOT_DEFINED) association type ids, both directions. Where a
 * pair has a "Primary" label (contact/deal to company) the plain link is the
 * `_unlabeled` type, as in HubSpot's v3 `associations` output.
 */
export interface AssociationType {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  inverseTypeId: number;
  label: string | null;
  /** The unlabeled link created by `associations/default`. */
  isDefault: boolean;
}

// [from, to, typeId, inverse typeId, label]
const PAIRS: [ObjectType, ObjectType, number, number, string | null][] = [
  ['contacts', 'companies', 279, 280, null],
  ['contacts', 'companies', 1, 2, 'Primary'],
  ['deals', 'contacts', 3, 4, null],
  ['deals', 'companies', 341, 342, null],
  ['deals', 'companies', 5, 6, 'Primary'],
  ['notes', 'contacts', 202, 201, null],
  ['notes', 'companies', 190, 189, null],
  ['notes', 'deals', 214, 213, null],
  ['tasks', 'contacts', 204, 203, null],
  ['tasks', 'companies', 192, 191, null],
  ['tasks', 'deals', 216, 215, null],
  ['calls', 'contacts', 194, 193, null],
  ['calls', 'companies', 182, 181, null],
  ['calls', 'deals', 206, 205, null],
  ['meetings', 'contacts', 200, 199, null],
  ['meetings', 'companies', 188, 187, null],
  ['meetings', 'deals', 212, 211, null],
];

export const ASSOCIATION_TYPES: AssociationType[] = PAIRS.flatMap(([from, to, typeId, inverseTypeId, label]) => [
  { from, to, typeId, inverseTypeId, label, isDefault: label === null },
  { from: to, to: from, typeId: inverseTypeId, inverseTypeId: typeId, label, isDefault: label === null },
]);

export function associationType(from: ObjectType, to: ObjectType, typeId: number): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.typeId === typeId);
}

export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}

/** v3's association type name: `contact_to_company`, `contact_to_company_unlabeled`, `note_to_contact`. */
export function v3TypeName(t: AssociationType): string {
  const base = `${OBJECTS[t.from].singular}_to_${OBJECTS[t.to].singular}`;
  const hasPrimary = ASSOCIATION_TYPES.some((o) => o.from === t.from && o.to === t.to && o.label === 'Primary');
  return hasPrimary && t.label === null ? `${base}_unlabeled` : base;
}

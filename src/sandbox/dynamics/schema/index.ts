import { ANNOTATION, APPOINTMENT, PHONECALL, TASK } from './activities.js';
import { CONTACT, LEAD, SYSTEMUSER } from './people.js';
import { SDKMESSAGE, SDKMESSAGEFILTER, SDKMESSAGEPROCESSINGSTEP, SERVICEENDPOINT } from './plugins.js';
import { ACCOUNT, OPPORTUNITY } from './sales.js';
import type { AttributeDef, EntityDef } from './types.js';

/** Every table the fake environment has, by logical name and by entity set name. */
export const ENTITIES: EntityDef[] = [
  CONTACT,
  LEAD,
  ACCOUNT,
  OPPORTUNITY,
  ANNOTATION,
  TASK,
  PHONECALL,
  APPOINTMENT,
  SYSTEMUSER,
  SERVICEENDPOINT,
  SDKMESSAGE,
  SDKMESSAGEFILTER,
  SDKMESSAGEPROCESSINGSTEP,
];

const byLogicalName = new Map(ENTITIES.map((e) => [e.logicalName, e]));
const bySetName = new Map(ENTITIES.map((e) => [e.entitySetName, e]));
const attributeIndex = new Map(ENTITIES.map((e) => [e.logicalName, new Map(e.attributes.map((a) => [a.logicalName, a]))]));

export function entityByLogicalName(name: string): EntityDef | undefined {
  return byLogicalName.get(name);
}

export function entityBySetName(name: string): EntityDef | undefined {
  return bySetName.get(name);
}

export function attributeOf(entity: EntityDef, logicalName: string): AttributeDef | undefined {
  return attributeIndex.get(entity.logicalName)?.get(logicalName);
}

/** The lookup column and target table behind a single-valued navigation property (`parentcustomerid_account`). */
export function navigationOf(entity: EntityDef, navigationProperty: string): { attr: AttributeDef; target: EntityDef } | undefined {
  for (const attr of entity.attributes) {
    const targetName = attr.navigation?.[navigationProperty];
    const target = targetName ? byLogicalName.get(targetName) : undefined;
    if (target) return { attr, target };
  }
  return undefined;
}

/** Lookup columns are read as `_<name>_value`; everything else by its logical name. */
export function readableName(attr: AttributeDef): string {
  return attr.type === 'Lookup' || attr.type === 'Customer' || attr.type === 'Owner' ? `_${attr.logicalName}_value` : attr.logicalName;
}

export function attributeByReadableName(entity: EntityDef, name: string): AttributeDef | undefined {
  const m = /^_(.+)_value$/.exec(name);
  if (m) {
    const attr = attributeOf(entity, m[1]!);
    return attr && (attr.type === 'Lookup' || attr.type === 'Customer' || attr.type === 'Owner') ? attr : undefined;
  }
  const attr = attributeOf(entity, name);
  return attr && !(attr.type === 'Lookup' || attr.type === 'Customer' || attr.type === 'Owner') ? attr : undefined;
}

export type { AttributeDef, EntityDef } from './types.js';
export { edmType, isLookup } from './types.js';

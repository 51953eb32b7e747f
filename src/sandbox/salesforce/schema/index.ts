import { EVENT, NOTE, TASK } from './activities.js';
import { OPPORTUNITY, OPPORTUNITY_CONTACT_ROLE } from './deals.js';
import type { FieldDef, SObjectDef } from './fields.js';
import { ACCOUNT, CONTACT, LEAD, USER } from './people.js';

export type { FieldDef, FieldType, SObjectDef } from './fields.js';

/** Every sObject of the fake org, in describeGlobal order. */
export const SOBJECTS: SObjectDef[] = [ACCOUNT, CONTACT, EVENT, LEAD, NOTE, OPPORTUNITY, OPPORTUNITY_CONTACT_ROLE, TASK, USER];

const BY_NAME = new Map(SOBJECTS.map((o) => [o.name.toLowerCase(), o]));
const BY_PREFIX = new Map(SOBJECTS.map((o) => [o.keyPrefix, o]));
const FIELDS = new Map(SOBJECTS.map((o) => [o, new Map(o.fields.map((f) => [f.name.toLowerCase(), f]))]));

/** API names are case-insensitive in URLs, bodies and SOQL, as in Salesforce. */
export function sobject(name: string): SObjectDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function sobjectByKeyPrefix(prefix: string): SObjectDef | undefined {
  return BY_PREFIX.get(prefix);
}

export function fieldOf(object: SObjectDef, name: string): FieldDef | undefined {
  return FIELDS.get(object)?.get(name.toLowerCase());
}

/** The reference field behind a relationship name (Account -> AccountId), case-insensitive. */
export function relationshipOf(object: SObjectDef, relationshipName: string): FieldDef | undefined {
  const lower = relationshipName.toLowerCase();
  return object.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}

import { OBJECT_TYPES, type ObjectType } from './objects.js';
import { PROPERTY_CATALOG, type PropertySeed, type PropertyType } from './property-catalog.js';
import type { PropertyProblem } from './errors.js';

/** A property definition as `/crm/v3/properties/{objectType}` returns it. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  description: string;
  groupName: string;
  options: { label: string; value: string; description?: string; displayOrder: number; hidden: boolean }[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  referencedObjectType?: string;
}

const SEEDED_AT = '2024-01-15T09:00:00.000Z';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fromSeed(seed: PropertySeed, order: number): PropertyDefinition {
  const options = (seed.options ?? []).map((o, i) => {
    const [value, label] = Array.isArray(o) ? o : [o, o.charAt(0) + o.slice(1).toLowerCase().replaceAll('_', ' ')];
    return { label, value, description: '', displayOrder: i, hidden: false };
  });
  return {
    name: seed.name,
    label: seed.label,
    type: seed.type,
    fieldType: seed.fieldType,
    description: '',
    groupName: seed.groupName,
    options,
    displayOrder: order,
    calculated: false,
    externalOptions: seed.owner === true,
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: !seed.readOnly,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: seed.readOnly === true },
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    archived: false,
    ...(seed.owner ? { referencedObjectType: 'OWNER' } : {}),
  };
}

/** Every object's property definitions: HubSpot's standard ones plus custom properties created through the API. */
export class PropertyRegistry {
  private readonly byType = new Map<ObjectType, Map<string, PropertyDefinition>>();

  constructor(private readonly ownerExists: (id: string) => boolean) {
    this.reset();
  }

  reset(): void {
    for (const type of OBJECT_TYPES) {
      this.byType.set(type, new Map(PROPERTY_CATALOG[type].map((seed, i) => [seed.name, fromSeed(seed, i)])));
    }
  }

  list(type: ObjectType): PropertyDefinition[] {
    return [...this.table(type).values()];
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    return this.table(type).get(name);
  }

  add(type: ObjectType, def: PropertyDefinition): void {
    this.table(type).set(def.name, def);
  }

  /**
   * Checks and normalises input values as HubSpot does: unknown names, read-only
   * values, e-mail syntax, picklist options, owner ids; datetimes become ISO strings.
   */
  normalise(type: ObjectType, input: Record<string, unknown>): { values: Record<string, string | null>; problems: PropertyProblem[] } {
    const values: Record<string, string | null> = {};
    const problems: PropertyProblem[] = [];
    for (const [name, raw] of Object.entries(input)) {
      const def = this.get(type, name);
      if (!def) {
        problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (def.modificationMetadata.readOnlyValue) {
        problems.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
        continue;
      }
      const text = raw === null || raw === undefined ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      if (text === '') {
        values[name] = null; // an empty string clears the value
        continue;
      }
      const problem = this.check(def, name, text);
      if (problem) problems.push(problem);
      else values[name] = def.type === 'datetime' ? (toIsoDateTime(text) ?? text) : name === 'email' ? text.toLowerCase() : text;
    }
    return { values, problems };
  }

  private check(def: PropertyDefinition, name: string, text: string): PropertyProblem | undefined {
    if (name === 'email' && !EMAIL.test(text)) return { name, error: 'INVALID_EMAIL', message: `Email address ${text} is invalid` };
    if (def.type === 'datetime' && toIsoDateTime(text) === undefined)
      return { name, error: 'INVALID_DATE', message: `${text} is not a valid datetime; use epoch milliseconds or ISO 8601` };
    if (def.type === 'number' && !Number.isFinite(Number(text)))
      return { name, error: 'INVALID_INTEGER', message: `${text} is not a valid number` };
    if (def.referencedObjectType === 'OWNER') {
      return this.ownerExists(text) ? undefined : { name, error: 'INVALID_OPTION', message: `${text} is not a valid owner id` };
    }
    if (def.type === 'enumeration' && def.options.length > 0) {
      const allowed = new Set(def.options.map((o) => o.value));
      const chosen = def.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = chosen.find((v) => !allowed.has(v));
      if (bad !== undefined) return { name, error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: ${optionList(def)}` };
    }
    return undefined;
  }

  private table(type: ObjectType): Map<string, PropertyDefinition> {
    const t = this.byType.get(type);
    if (!t) throw new Error(`no property table for ${type}`);
    return t;
  }
}

/** HubSpot prints the allowed options in its protobuf text form. */
function optionList(def: PropertyDefinition): string {
  return `[${def.options
    .map((o) => `label: "${o.label}"\nvalue: "${o.value}"\ndisplay_order: ${o.displayOrder}\nhidden: false\nread_only: false\n`)
    .join(', ')}]`;
}

/** Epoch milliseconds, an ISO datetime or a date (midnight UTC), as HubSpot accepts for datetime properties. */
export function toIsoDateTime(text: string): string | undefined {
  if (/^\d{1,15}$/.test(text)) return new Date(Number(text)).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

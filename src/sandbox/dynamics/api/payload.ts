import { payloadError, validationError } from '../errors.js';
import { attributeOf, edmType, navigationOf, type AttributeDef, type EntityDef } from '../schema/index.js';
import type { FieldValue, LookupValue, Values } from '../store.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns an `@odata.bind` value (`/contacts(<id>)`, a full URL, `$1`) into the row it names; throws when absent. */
export type BindResolver = (reference: string, expected: EntityDef) => LookupValue;

/**
 * Reads a create or update body into column values, as Dataverse's OData reader does:
 * unknown properties, wrong JSON types, lengths, ranges and choice values are refused
 * with the platform's messages; read-only columns are ignored.
 */
export function readPayload(def: EntityDef, raw: string, mode: 'create' | 'update', resolve: BindResolver): Values {
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (e) {
    throw payloadError(def.entitySetName, `Invalid JSON. ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw payloadError(def.entitySetName, 'A node of type \'StartArray\' was read from the JSON reader when trying to read the start of an entry. A \'StartObject\' node was expected.');
  }
  const values: Values = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith('@')) continue;
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const link = navigationOf(def, nav);
      if (!link) {
        throw payloadError(def.entitySetName,
          `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`);
      }
      if (link.attr.readOnly) continue;
      if (value === null) values[link.attr.logicalName] = null;
      else if (typeof value === 'string') values[link.attr.logicalName] = resolve(value, link.target);
      else throw payloadError(def.entitySetName, `The value of the '${key}' annotation must be a string.`);
      continue;
    }
    if (key.includes('@')) continue; // instance annotations such as FormattedValue are ignored on write
    const attr = attributeOf(def, key);
    if (!attr || attr.navigation) {
      throw payloadError(def.entitySetName,
        `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${def.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    if (attr.readOnly) continue;
    values[attr.logicalName] = coerce(def, attr, value);
  }
  assertRequired(def, values, mode);
  return values;
}

function coerce(def: EntityDef, attr: AttributeDef, value: unknown): FieldValue {
  if (value === null) return null;
  const wrongType = () =>
    payloadError(def.entitySetName, `Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type '${edmType(attr)}'.`);
  switch (attr.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string') throw wrongType();
      if (attr.maxLength !== undefined && value.length > attr.maxLength) {
        throw validationError(`The length of the '${attr.logicalName}' attribute of the '${def.logicalName}' entity exceeded the maximum allowed length of '${attr.maxLength}'.`);
      }
      return value;
    case 'Integer':
    case 'BigInt':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType();
      return inRange(def, attr, value);
    case 'Decimal':
    case 'Double':
    case 'Money':
      if (typeof value !== 'number') throw wrongType();
      return inRange(def, attr, value);
    case 'Boolean':
      if (typeof value !== 'boolean') throw wrongType();
      return value;
    case 'DateTime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw wrongType();
      const iso = new Date(value).toISOString();
      return attr.format === 'DateOnly' ? iso.slice(0, 10) : iso.replace(/\.\d{3}Z$/, 'Z');
    }
    case 'Picklist':
    case 'State':
    case 'Status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType();
      const allowed = attr.options ?? [];
      if (!allowed.some((o) => o.value === value)) {
        throw validationError(`The value ${value} of '${attr.logicalName}' on record of type '${def.logicalName}' is outside the valid range. Accepted Values: ${allowed.map((o) => o.value).join(',')}`);
      }
      return value;
    }
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !GUID.test(value)) throw wrongType();
      return value.toLowerCase();
    default:
      throw wrongType();
  }
}

function inRange(def: EntityDef, attr: AttributeDef, value: number): number {
  if ((attr.minValue !== undefined && value < attr.minValue) || (attr.maxValue !== undefined && value > attr.maxValue)) {
    throw validationError(`The value ${value} of '${attr.logicalName}' on record of type '${def.logicalName}' is outside the valid range. Accepted Values: ${attr.minValue} to ${attr.maxValue}`);
  }
  return value;
}

/**
 * Only SystemRequired columns are enforced by the API; ApplicationRequired ("business
 * required") columns such as a contact's lastname are a form rule, not an API rule.
 */
function assertRequired(def: EntityDef, values: Values, mode: 'create' | 'update'): void {
  for (const attr of def.attributes) {
    if (attr.requiredLevel !== 'SystemRequired' || attr.readOnly || attr.type === 'Owner' || attr.type === 'State') continue;
    if (attr.logicalName === def.primaryId) continue;
    const missing = mode === 'create' ? values[attr.logicalName] === undefined || values[attr.logicalName] === null : values[attr.logicalName] === null;
    if (missing) {
      throw validationError(`The '${attr.logicalName}' attribute of the '${def.logicalName}' entity is required (SystemRequired) and cannot be empty.`);
    }
  }
}

export const isGuid = (s: string) => GUID.test(s);

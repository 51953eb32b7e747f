import { dmlError, jsonParserError, unknownColumn, type DmlError } from './errors.js';
import { keyPrefixOf, normalizeId } from './ids.js';
import { fieldOf, sobjectByKeyPrefix, type FieldDef, type SObjectDef } from './schema/index.js';
import { deserialize } from './values.js';

export type Values = Record<string, unknown>;
export type WriteMode = 'create' | 'update';

/** Finds a live record by id, for reference checks. */
export type RecordLookup = (object: SObjectDef, id: string) => Values | undefined;
/** Finds the live records of `object` whose unique `field` equals `value` (case-insensitive). */
export type UniqueLookup = (object: SObjectDef, field: FieldDef, value: string) => string[];

/**
 * The deserialization step: every key must be a field of the object (request-level
 * INVALID_FIELD otherwise) and every value must fit its field's JSON type. Returns the
 * values under their canonical field names. `attributes` is the record's envelope.
 */
export function readRecordBody(object: SObjectDef, body: unknown): Values {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const token = Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING';
    throw jsonParserError(`Cannot deserialize instance of ${object.name} from ${token} value or request may be missing a required field`);
  }
  const values: Values = {};
  for (const [key, value] of Object.entries(body as Values)) {
    if (key === 'attributes') continue;
    const field = fieldOf(object, key);
    if (!field) throw unknownColumn(object.name, key);
    values[field.name] = deserialize(field, value);
  }
  return values;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const blank = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The DML checks Salesforce makes before saving, in its order: fields the caller may
 * not write, required fields, then each value (length, e-mail, restricted picklist,
 * references), then unique values. The first failing step's errors are returned.
 */
export function checkWrite(
  object: SObjectDef,
  values: Values,
  mode: WriteMode,
  lookups: { record: RecordLookup; unique: UniqueLookup },
  selfId?: string,
): DmlError[] {
  if (mode === 'create' && values.Id !== undefined) return [dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id'])];
  if (mode === 'update' && values.Id !== undefined && values.Id !== selfId) {
    return [dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', ['Id'])];
  }
  const locked = Object.keys(values)
    .map((name) => fieldOf(object, name) as FieldDef)
    .filter((f) => f.name !== 'Id' && !(mode === 'create' ? f.createable : f.updateable))
    .map((f) => f.name);
  if (locked.length > 0) {
    return [
      dmlError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        locked,
      ),
    ];
  }
  const missing = object.fields
    .filter((f) => f.required && (mode === 'create' ? blank(values[f.name]) : f.name in values && blank(values[f.name])))
    .map((f) => f.name);
  if (missing.length > 0) return [dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)];
  for (const [name, value] of Object.entries(values)) {
    const field = fieldOf(object, name) as FieldDef;
    if (blank(value) || field.name === 'Id') continue;
    const problem = checkValue(field, value, lookups.record);
    if (problem) return [problem];
  }
  for (const field of object.fields.filter((f) => f.unique && typeof values[f.name] === 'string' && values[f.name] !== '')) {
    const holders = lookups.unique(object, field, values[field.name] as string).filter((id) => id !== selfId);
    if (holders.length > 0) {
      return [dmlError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${holders[0]}`)];
    }
  }
  return [];
}

function checkValue(field: FieldDef, value: unknown, record: RecordLookup): DmlError | undefined {
  if (typeof value === 'string' && field.length > 0 && value.length > field.length) {
    return dmlError('STRING_TOO_LONG', `${field.label}: data value too large: ${value} (max length=${field.length})`, [field.name]);
  }
  if (field.type === 'email' && !EMAIL.test(String(value))) {
    return dmlError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${String(value)}`, [field.name]);
  }
  if (field.type === 'picklist' && field.restricted && !field.picklist?.includes(String(value))) {
    return dmlError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${String(value)}`, [field.name]);
  }
  if (field.type === 'reference') return checkReference(field, String(value), record);
  return undefined;
}

function checkReference(field: FieldDef, value: string, record: RecordLookup): DmlError | undefined {
  const id = normalizeId(value);
  if (!id) return dmlError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  const target = sobjectByKeyPrefix(keyPrefixOf(id));
  if (!target || !field.referenceTo.includes(target.name)) {
    return dmlError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  }
  if (!record(target, id)) return dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  return undefined;
}

import { noSuchColumn, notFound, restError } from './errors.js';
import { keyPrefixOf, normalizeId } from './ids.js';
import { fieldOf, sobject, type FieldDef, type SObjectDef } from './schema/index.js';
import type { OrgStore, SaveResult, StoredRecord } from './store.js';
import type { Values } from './validate.js';

/** Helpers the sObject and Collections resources share: lookups, record bodies, results. */
export function objectOr404(name: string): SObjectDef {
  const object = sobject(name);
  if (!object) throw notFound();
  return object;
}

/** A record by id from a URL: NOT_FOUND when it is absent, of another object or deleted. */
export function recordOr404(store: OrgStore, object: SObjectDef, rawId: string): StoredRecord {
  const id = normalizeId(rawId);
  if (!id) throw restError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
  const row = keyPrefixOf(id) === object.keyPrefix ? store.live(object, id) : undefined;
  if (!row) throw notFound();
  return row;
}

/** `?fields=A,B` as field definitions; every name must exist. */
export function fieldList(object: SObjectDef, param: string | null): FieldDef[] | undefined {
  if (param === null || param.trim() === '') return undefined;
  return param.split(',').map((name) => {
    const field = fieldOf(object, name.trim());
    if (!field) throw noSuchColumn(object.name, name.trim());
    return field;
  });
}

export function recordBody(object: SObjectDef, row: StoredRecord, version: string, fields?: FieldDef[]): Values {
  const out: Values = { attributes: { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${row.id}` } };
  for (const f of fields ?? object.fields) out[f.name] = row.values[f.name] ?? null;
  return out;
}

/** SaveResult / UpsertResult JSON, as single-record and collection responses carry it. */
export function saveResultBody(result: SaveResult, withCreated: boolean): Values {
  if (result.ok) return { id: result.id, success: true, errors: [], ...(withCreated ? { created: result.created } : {}) };
  return { ...(result.id ? { id: result.id } : {}), success: false, errors: result.errors, ...(withCreated ? { created: false } : {}) };
}

export const cannot = (verb: 'inserted' | 'updated' | 'deleted', object: SObjectDef) =>
  restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${object.name}`);

/** The external id field of an upsert URL: it must be an external id (or Id) of the object. */
export function externalIdField(object: SObjectDef, name: string): FieldDef {
  const field = fieldOf(object, name);
  if (!field || !(field.externalId || field.name === 'Id')) {
    throw restError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return field;
}

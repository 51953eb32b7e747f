import { DataverseError, notFound, keyNotFound, queryError, unknownProperty } from '../errors.js';
import { attributeByReadableName, edmType, entityByLogicalName, type EntityDef } from '../schema/index.js';
import { isLookupValue, type LookupValue, type RecordStore, type StoredRecord } from '../store.js';
import { apiRelativePath, entitySet, parseRowKey, splitResourcePath, type RowKey } from './keys.js';
import type { RowShape } from '../odata/query.js';

/** One Web API request, whether it came alone or inside a `$batch`. */
export interface ApiRequest {
  method: string;
  /** The path after the API root, without a leading slash, percent-decoded. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body (an object), plain text (a string), or none. */
  body?: unknown;
}

export interface ApiContext {
  store: RecordStore;
  /** The absolute URL of the API root, e.g. http://127.0.0.1:3000/sandbox/dynamics/api/data/v9.2 */
  apiBase: string;
  userId: string;
  /** Inside a change set: Content-ID → URL of the row an earlier request created. */
  contentIds?: Map<string, string>;
}

export const JSON_MINIMAL = 'application/json; odata.metadata=minimal';
export const JSON_STREAMING = 'application/json; odata.metadata=minimal; odata.streaming=true';

export function preferences(req: ApiRequest): string[] {
  return (req.headers.prefer ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

export const wantsRepresentation = (req: ApiRequest) => preferences(req).includes('return=representation');

export function entityUrl(ctx: ApiContext, def: EntityDef, id: string): string {
  return `${ctx.apiBase}/${def.entitySetName}(${id})`;
}

/** Finds the row a key names: undefined when there is none (callers decide between 404 and upsert). */
export function findRow(ctx: ApiContext, def: EntityDef, key: RowKey): StoredRecord | undefined {
  return key.kind === 'id' ? ctx.store.get(def.logicalName, key.id) : ctx.store.findByKey(def.logicalName, key.values);
}

export function missingRow(def: EntityDef, key: RowKey): DataverseError {
  return key.kind === 'id' ? notFound(def.logicalName, key.id) : keyNotFound(def.logicalName);
}

/** Resolves an `@odata.bind` reference to an existing row of the expected table. */
export function bindResolver(ctx: ApiContext) {
  return (reference: string, expected: EntityDef): LookupValue => {
    let ref = reference.trim();
    if (ref.startsWith('$')) {
      const url = ctx.contentIds?.get(ref.slice(1));
      if (!url) throw new DataverseError(400, '0x80060888', `Content-ID Reference: '${ref}' does not exist in the batch context.`);
      ref = url;
    }
    const { set, key } = splitResourcePath(apiRelativePath(ref));
    const def = entitySet(set);
    if (key === undefined) throw queryError(`The URI '${reference}' is not valid for an @odata.bind annotation: it must name a single record.`);
    if (def.logicalName !== expected.logicalName) {
      throw queryError(`The entity set '${set}' does not match the expected navigation target '${expected.logicalName}'.`);
    }
    const rowKey = parseRowKey(def, key);
    const row = findRow(ctx, def, rowKey);
    if (!row) throw missingRow(def, rowKey);
    return { id: row.id, entity: def.logicalName };
  };
}

/** How `$filter` and `$orderby` read a table's rows: columns by logical name, lookups as `_x_value`. */
export function recordShape(def: EntityDef): RowShape<StoredRecord> {
  return {
    typeOf(name) {
      const attr = attributeByReadableName(def, name);
      if (!attr || attr.hiddenOnRead) throw unknownProperty(def.logicalName, name);
      return edmType(attr);
    },
    valueOf(row, name) {
      if (name === 'versionnumber') return row.version;
      const attr = attributeByReadableName(def, name);
      const v = attr ? row.values[attr.logicalName] : null;
      return isLookupValue(v) ? v.id : v ?? null;
    },
  };
}

/** Resolves `$select` names to columns, refusing unknown ones with Dataverse's message. */
export function selectedColumns(def: EntityDef, select: string[] | undefined) {
  return select?.map((name) => {
    const attr = attributeByReadableName(def, name);
    if (!attr || attr.hiddenOnRead) throw unknownProperty(def.logicalName, name);
    return attr;
  });
}

export function nameResolver(ctx: ApiContext) {
  return (ref: LookupValue): string | null => {
    const row = ctx.store.get(ref.entity, ref.id);
    const def = entityByLogicalName(ref.entity);
    const name = row && def ? row.values[def.primaryName] : null;
    return typeof name === 'string' ? name : null;
  };
}

export function contextUrl(ctx: ApiContext, def: EntityDef, select: string[] | undefined, suffix = ''): string {
  return `${ctx.apiBase}/$metadata#${def.entitySetName}${select?.length ? `(${select.join(',')})` : ''}${suffix}`;
}

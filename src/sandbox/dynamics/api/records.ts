import { duplicateKey, methodNotAllowed, queryError, unknownProperty, versionMismatch } from '../errors.js';
import { attributeByReadableName, type EntityDef } from '../schema/index.js';
import type { StoredRecord, Values } from '../store.js';
import {
  JSON_MINIMAL,
  bindResolver,
  contextUrl,
  entityUrl,
  findRow,
  missingRow,
  nameResolver,
  selectedColumns,
  wantsRepresentation,
  type ApiContext,
  type ApiRequest,
  type ApiResponse,
} from './context.js';
import type { RowKey } from './keys.js';
import { readPayload } from './payload.js';
import { annotationFilter, serializeRecord } from './serialize.js';
import { readQueryOptions } from '../odata/query.js';

/** Operations on one row: retrieve, update/upsert (PATCH), delete, and single-column reads and writes. */
export function handleRow(ctx: ApiContext, req: ApiRequest, def: EntityDef, key: RowKey, rest: string[]): ApiResponse {
  if (rest.length === 1) return handleColumn(ctx, req, def, key, rest[0]!);
  if (rest.length > 1) throw queryError(`The request URI is not valid. The segment '${rest.join('/')}' is not supported by the sandbox.`);
  switch (req.method) {
    case 'GET':
      return retrieve(ctx, req, def, key);
    case 'PATCH':
      return upsert(ctx, req, def, key);
    case 'DELETE': {
      const row = findRow(ctx, def, key);
      if (!row) throw missingRow(def, key);
      checkIfMatch(req, row);
      ctx.store.remove(def, row.id, ctx.userId);
      return { status: 204, headers: {} };
    }
    default:
      throw methodNotAllowed(req.method);
  }
}

export function representation(ctx: ApiContext, req: ApiRequest, def: EntityDef, row: StoredRecord, status: number): ApiResponse {
  const options = readQueryOptions(req.query);
  const select = selectedColumns(def, options.select);
  const { filter, applied } = annotationFilter(req.headers.prefer);
  const body = {
    '@odata.context': contextUrl(ctx, def, options.select, '/$entity'),
    ...serializeRecord(def, row, select, { annotate: filter, nameOf: nameResolver(ctx) }),
  };
  const headers: Record<string, string> = { 'content-type': JSON_MINIMAL, etag: `W/"${row.version}"` };
  const preferenceApplied = [wantsRepresentation(req) && req.method !== 'GET' ? 'return=representation' : '', applied ?? ''].filter(Boolean).join(',');
  if (preferenceApplied) headers['preference-applied'] = preferenceApplied;
  if (req.method !== 'GET') headers['odata-entityid'] = entityUrl(ctx, def, row.id);
  return { status, headers, body };
}

function retrieve(ctx: ApiContext, req: ApiRequest, def: EntityDef, key: RowKey): ApiResponse {
  const row = findRow(ctx, def, key);
  if (!row) throw missingRow(def, key);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch !== 'null' && ifNoneMatch === `W/"${row.version}"`) return { status: 304, headers: { etag: ifNoneMatch } };
  return representation(ctx, req, def, row, 200);
}

/**
 * PATCH is an upsert: it updates the row the key names or creates it. `If-Match: *`
 * prevents the create (404), `If-None-Match: *` prevents the update (412), and
 * `If-Match: W/"<version>"` is optimistic concurrency.
 */
function upsert(ctx: ApiContext, req: ApiRequest, def: EntityDef, key: RowKey): ApiResponse {
  const existing = findRow(ctx, def, key);
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (!existing && ifMatch) throw missingRow(def, key);
  if (existing && ifNoneMatch === '*') throw duplicateKey();
  const resolve = bindResolver(ctx);
  let row: StoredRecord;
  let created = false;
  if (existing) {
    checkIfMatch(req, existing);
    row = ctx.store.update(def, existing.id, readPayload(def, req.body, 'update', resolve), ctx.userId);
  } else {
    const values: Values = { ...readPayload(def, req.body, 'create', resolve), ...(key.kind === 'alternate' ? key.values : {}) };
    row = ctx.store.insert(def, values, ctx.userId, key.kind === 'id' ? key.id : undefined);
    created = true;
  }
  if (wantsRepresentation(req)) return representation(ctx, req, def, row, created ? 201 : 200);
  return { status: 204, headers: { 'odata-entityid': entityUrl(ctx, def, row.id) } };
}

function checkIfMatch(req: ApiRequest, row: StoredRecord): void {
  const ifMatch = req.headers['if-match'];
  if (ifMatch && ifMatch !== '*' && ifMatch !== `W/"${row.version}"`) throw versionMismatch();
}

/** `contacts(<id>)/firstname`: read one column (`{"value": ...}`), set it with PUT, clear it with DELETE. */
function handleColumn(ctx: ApiContext, req: ApiRequest, def: EntityDef, key: RowKey, name: string): ApiResponse {
  const attr = attributeByReadableName(def, name);
  if (!attr || attr.hiddenOnRead) throw unknownProperty(def.logicalName, name);
  const row = findRow(ctx, def, key);
  if (!row) throw missingRow(def, key);
  if (req.method === 'GET') {
    const value = row.values[attr.logicalName] ?? null;
    if (value === null) return { status: 204, headers: {} };
    const plain = typeof value === 'object' ? value.id : value;
    return { status: 200, headers: { 'content-type': JSON_MINIMAL }, body: { '@odata.context': `${ctx.apiBase}/$metadata#${def.entitySetName}(${row.id})/${name}`, value: plain } };
  }
  if (req.method === 'PUT' || req.method === 'DELETE') {
    let value: unknown = null;
    if (req.method === 'PUT') {
      try {
        value = (JSON.parse(req.body || '{}') as { value?: unknown }).value ?? null;
      } catch {
        value = undefined;
      }
    }
    const values = readPayload(def, JSON.stringify({ [attr.logicalName]: value }), 'update', bindResolver(ctx));
    ctx.store.update(def, row.id, values, ctx.userId);
    return { status: 204, headers: {} };
  }
  throw queryError(`The HTTP method '${req.method}' is not allowed on a property.`);
}

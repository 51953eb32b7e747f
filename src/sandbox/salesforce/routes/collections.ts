import { ok, type ApiRequest, type ApiResponse, type ApiRoute } from '../api.js';
import { dmlError, jsonParserError, parseJsonBody, restError, type DmlError } from '../errors.js';
import { keyPrefixOf, normalizeId } from '../ids.js';
import { cannot, externalIdField, fieldList, objectOr404, recordBody, saveResultBody } from '../records.js';
import { sobject, sobjectByKeyPrefix, type SObjectDef } from '../schema/index.js';
import type { SaveResult } from '../store.js';
import { readRecordBody, type Values } from '../validate.js';

/** sObject Collections: up to 200 records per write, 2,000 ids per POST retrieve. */
export const COLLECTION_LIMIT = 200;
const RETRIEVE_POST_LIMIT = 2000;

const tooMany = () => restError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call', []);
const ROLLED_BACK = dmlError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');

export const collectionRoutes: ApiRoute[] = [
  {
    pattern: ['composite', 'sobjects'],
    methods: {
      POST: (req) => write(req, 'create'),
      PATCH: (req) => write(req, 'update'),
      DELETE: (req) => destroy(req),
    },
  },
  {
    pattern: ['composite', 'sobjects', ':type'],
    methods: {
      GET: (req, p) => retrieve(req, objectOr404(p.type as string), splitIds(req.query.get('ids')), req.query.get('fields'), COLLECTION_LIMIT),
      POST: (req, p) => {
        const body = parseJsonBody(req.rawBody) as { ids?: unknown; fields?: unknown } | undefined;
        const ids = Array.isArray(body?.ids) ? body.ids.map(String) : [];
        const fields = Array.isArray(body?.fields) ? body.fields.map(String).join(',') : null;
        return retrieve(req, objectOr404(p.type as string), ids, fields, RETRIEVE_POST_LIMIT);
      },
    },
  },
  { pattern: ['composite', 'sobjects', ':type', ':field'], methods: { PATCH: (req, p) => write(req, 'upsert', p) } },
];

interface CollectionBody {
  allOrNone: boolean;
  records: unknown[];
}

function readCollection(raw: string | undefined): CollectionBody {
  const body = parseJsonBody(raw);
  if (!body || typeof body !== 'object' || !Array.isArray((body as { records?: unknown }).records)) {
    throw jsonParserError('Cannot deserialize the request body: expected an object with a records array');
  }
  const { allOrNone, records } = body as { allOrNone?: unknown; records: unknown[] };
  if (records.length > COLLECTION_LIMIT) throw tooMany();
  return { allOrNone: allOrNone === true || allOrNone === 'true', records };
}

/** The object a collection record names in attributes.type (or, for updates, its id's key prefix). */
function typeOf(record: Values, fallbackId?: string): SObjectDef | undefined {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type === 'string') return sobject(type);
  return fallbackId ? sobjectByKeyPrefix(keyPrefixOf(fallbackId)) : undefined;
}

type Mode = 'create' | 'update' | 'upsert';

function write(req: ApiRequest, mode: Mode, params: Record<string, string> = {}): ApiResponse {
  const { allOrNone, records } = readCollection(req.rawBody);
  const upsertObject = mode === 'upsert' ? objectOr404(params.type as string) : undefined;
  const key = upsertObject ? externalIdField(upsertObject, params.field as string) : undefined;
  // Deserialize everything first: a bad field or JSON type fails the whole request, before any write.
  const prepared = records.map((raw) => prepare(raw as Values, mode, upsertObject));
  const snapshot = allOrNone ? req.org.store.snapshot() : undefined;
  const store = req.org.store;
  const results: SaveResult[] = prepared.map((p) => {
    if ('errors' in p) return { ok: false, id: p.id, errors: p.errors };
    const { object, values, id } = p;
    if (mode === 'create') return object.createable ? store.create(object, values, req.userId) : notAllowed('inserted', object);
    if (mode === 'update') return object.updateable ? store.update(object, id as string, values, req.userId) : notAllowed('updated', object, id);
    if (!key) throw new Error('upsert without an external id field');
    const keyValue = values[key.name];
    if (typeof keyValue !== 'string' || keyValue === '') return { ok: false, errors: [dmlError('MISSING_ARGUMENT', `${key.name} not specified`)] };
    delete values[key.name];
    return store.upsert(object, key, keyValue, values, req.userId);
  });
  const failed = results.some((r) => !r.ok);
  if (snapshot && failed) store.restore(snapshot);
  return ok(
    results.map((r) => {
      const rolledBack = snapshot && failed && r.ok;
      const shown: SaveResult = rolledBack ? { ok: false, id: mode === 'create' ? undefined : r.id, errors: [ROLLED_BACK] } : r;
      return saveResultBody(shown, mode === 'upsert');
    }),
  );
}

type Prepared = { object: SObjectDef; values: Values; id?: string } | { errors: DmlError[]; id?: string };

function prepare(raw: Values, mode: Mode, upsertObject: SObjectDef | undefined): Prepared {
  if (!raw || typeof raw !== 'object') throw jsonParserError('Cannot deserialize instance of SObject from a non-object record');
  const rawId = typeof raw.id === 'string' ? raw.id : typeof raw.Id === 'string' ? raw.Id : undefined;
  const id = rawId === undefined ? undefined : normalizeId(rawId);
  const object = upsertObject ?? typeOf(raw, id);
  if (!object) return { errors: [dmlError('INVALID_TYPE', 'Must specify a valid sObject type in attributes')] };
  const values = readRecordBody(object, raw);
  if (mode !== 'update') return { object, values };
  if (rawId === undefined) return { errors: [dmlError('MISSING_ARGUMENT', 'Id not specified in an update call')] };
  if (!id || keyPrefixOf(id) !== object.keyPrefix) return { id: rawId, errors: [dmlError('MALFORMED_ID', `malformed id ${rawId}`)] };
  delete values.Id;
  return { object, values, id };
}

function notAllowed(verb: 'inserted' | 'updated', object: SObjectDef, id?: string): SaveResult {
  const err = cannot(verb, object).errors[0] as { message: string; errorCode: string };
  return { ok: false, id, errors: [dmlError(err.errorCode, err.message)] };
}

function destroy(req: ApiRequest): ApiResponse {
  const ids = splitIds(req.query.get('ids'));
  if (ids.length > COLLECTION_LIMIT) throw tooMany();
  const allOrNone = req.query.get('allOrNone') === 'true';
  const snapshot = allOrNone ? req.org.store.snapshot() : undefined;
  const results: SaveResult[] = ids.map((rawId) => {
    const id = normalizeId(rawId);
    const object = id ? sobjectByKeyPrefix(keyPrefixOf(id)) : undefined;
    if (!id || !object) return { ok: false, id: rawId, errors: [dmlError('MALFORMED_ID', `malformed id ${rawId}`)] };
    if (!object.deletable) return { ok: false, id, errors: [dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${object.name}`)] };
    return req.org.store.delete(object, id, req.userId);
  });
  const failed = results.some((r) => !r.ok);
  if (snapshot && failed) req.org.store.restore(snapshot);
  return ok(results.map((r) => saveResultBody(snapshot && failed && r.ok ? { ok: false, id: r.id, errors: [ROLLED_BACK] } : r, false)));
}

function retrieve(req: ApiRequest, object: SObjectDef, ids: string[], fieldsParam: string | null, limit: number): ApiResponse {
  if (ids.length > limit) throw tooMany();
  const fields = fieldList(object, fieldsParam);
  if (!fields) throw restError(400, 'MALFORMED_QUERY', 'fields parameter is required', []);
  return ok(
    ids.map((rawId) => {
      const id = normalizeId(rawId);
      const row = id && keyPrefixOf(id) === object.keyPrefix ? req.org.store.live(object, id) : undefined;
      return row ? recordBody(object, row, req.version, fields) : null;
    }),
  );
}

function splitIds(param: string | null): string[] {
  return (param ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

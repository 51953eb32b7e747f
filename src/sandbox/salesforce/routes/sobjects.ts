import { ok, type ApiRequest, type ApiResponse, type ApiRoute } from '../api.js';
import { childRelationships, describeGlobal, describeObject, objectSummary } from '../describe.js';
import { fromDml, parseJsonBody, restError } from '../errors.js';
import { normalizeId } from '../ids.js';
import { cannot, externalIdField, fieldList, objectOr404, recordBody, recordOr404, saveResultBody } from '../records.js';
import type { FieldDef, SObjectDef } from '../schema/index.js';
import type { StoredRecord } from '../store.js';
import { readRecordBody } from '../validate.js';

/** `/sobjects`: describes, and create / read / update / delete / upsert of one record. */
export const sobjectRoutes: ApiRoute[] = [
  { pattern: ['sobjects'], methods: { GET: (req) => ok(describeGlobal(req.version)) } },
  {
    pattern: ['sobjects', ':type'],
    methods: {
      GET: (req, p) => ok({ objectDescribe: objectSummary(objectOr404(p.type as string), req.version), recentItems: [] }),
      POST: (req, p) => create(req, objectOr404(p.type as string)),
    },
  },
  {
    pattern: ['sobjects', ':type', 'describe'],
    methods: {
      GET: (req, p) => {
        const object = objectOr404(p.type as string);
        return ok(describeObject(object, req.version, childRelationships(object)));
      },
    },
  },
  {
    pattern: ['sobjects', ':type', ':id'],
    methods: {
      GET: (req, p) => {
        const object = objectOr404(p.type as string);
        const row = recordOr404(req.org.store, object, p.id as string);
        return ok(recordBody(object, row, req.version, fieldList(object, req.query.get('fields'))));
      },
      PATCH: (req, p) => update(req, objectOr404(p.type as string), p.id as string),
      DELETE: (req, p) => remove(req, objectOr404(p.type as string), p.id as string),
    },
  },
  {
    pattern: ['sobjects', ':type', ':field', ':value'],
    methods: {
      GET: (req, p) => byExternalId(req, p, (object, row) => ok(recordBody(object, row, req.version, fieldList(object, req.query.get('fields'))))),
      PATCH: (req, p) => upsert(req, objectOr404(p.type as string), p.field as string, p.value as string),
      DELETE: (req, p) => byExternalId(req, p, (object, row) => remove(req, object, row.id)),
    },
  },
];

function create(req: ApiRequest, object: SObjectDef): ApiResponse {
  if (!object.createable) throw cannot('inserted', object);
  const values = readRecordBody(object, parseJsonBody(req.rawBody));
  const result = req.org.store.create(object, values, req.userId);
  if (!result.ok) throw fromDml(result.errors);
  return { status: 201, body: saveResultBody(result, false), headers: { location: `/services/data/v${req.version}/sobjects/${object.name}/${result.id}` } };
}

function update(req: ApiRequest, object: SObjectDef, rawId: string): ApiResponse {
  if (!object.updateable) throw cannot('updated', object);
  const row = deletedOr404(req, object, rawId);
  const values = readRecordBody(object, parseJsonBody(req.rawBody));
  const result = req.org.store.update(object, row.id, values, req.userId);
  if (!result.ok) throw fromDml(result.errors);
  return { status: 204 };
}

function remove(req: ApiRequest, object: SObjectDef, rawId: string): ApiResponse {
  if (!object.deletable) throw cannot('deleted', object);
  const row = deletedOr404(req, object, rawId);
  const result = req.org.store.delete(object, row.id, req.userId);
  if (!result.ok) throw fromDml(result.errors);
  return { status: 204 };
}

/** Writes to a deleted record answer ENTITY_IS_DELETED rather than NOT_FOUND. */
function deletedOr404(req: ApiRequest, object: SObjectDef, rawId: string): StoredRecord {
  try {
    return recordOr404(req.org.store, object, rawId);
  } catch (err) {
    const gone = req.org.store.get(object, normalizeId(rawId) ?? '');
    if (gone?.values.IsDeleted === true) throw restError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
    throw err;
  }
}

function upsert(req: ApiRequest, object: SObjectDef, fieldName: string, value: string): ApiResponse {
  if (!object.createable || !object.updateable) throw cannot('updated', object);
  const key = externalIdField(object, fieldName);
  const values = readRecordBody(object, parseJsonBody(req.rawBody));
  delete values[key.name]; // the URL names the key value
  const matches = key.name === 'Id' ? [] : req.org.store.findByUnique(object, key, value);
  if (matches.length > 1) return multipleChoices(req, object, matches);
  const result = req.org.store.upsert(object, key, value, values, req.userId);
  if (!result.ok) throw fromDml(result.errors);
  return { status: result.created ? 201 : 200, body: saveResultBody(result, true) };
}

function byExternalId(req: ApiRequest, p: Record<string, string>, then: (object: SObjectDef, row: StoredRecord) => ApiResponse): ApiResponse {
  const object = objectOr404(p.type as string);
  const key: FieldDef = externalIdField(object, p.field as string);
  if (key.name === 'Id') return then(object, recordOr404(req.org.store, object, p.value as string));
  const matches = req.org.store.findByUnique(object, key, p.value as string);
  if (matches.length > 1) return multipleChoices(req, object, matches);
  const row = matches[0] ? req.org.store.live(object, matches[0]) : undefined;
  if (!row) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return then(object, row);
}

/** Several records share the external id: 300 with their URLs, as Salesforce answers. */
function multipleChoices(req: ApiRequest, object: SObjectDef, ids: string[]): ApiResponse {
  return { status: 300, body: ids.map((id) => `/services/data/v${req.version}/sobjects/${object.name}/${id}`) };
}

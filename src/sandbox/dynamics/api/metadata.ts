import { CODES, DataverseError, methodNotAllowed, notFound, queryError, segmentNotFound, unknownProperty } from '../errors.js';
import { filterRows, type RowShape } from '../odata/query.js';
import { entityByLogicalName, type AttributeDef, type EntityDef } from '../schema/index.js';
import { JSON_MINIMAL, type ApiContext, type ApiRequest, type ApiResponse } from './context.js';
import { splitResourcePath } from './keys.js';
import { allEntities, attributeClass, attributeMetadata, entityMetadata, keyMetadata, metadataId, optionSetMetadata } from './metadata-shapes.js';

type Shape = Record<string, unknown>;

/**
 * `EntityDefinitions`, `EntityDefinitions(LogicalName='contact')`, its `/Attributes`
 * (optionally cast, e.g. `/Microsoft.Dynamics.CRM.PicklistAttributeMetadata` with
 * `$expand=OptionSet`), `/Attributes(LogicalName='x')` and `/Keys`. Read-only.
 */
export function handleMetadata(ctx: ApiContext, req: ApiRequest): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const { key, rest } = splitResourcePath(req.path);
  const base = `${ctx.apiBase}/$metadata#EntityDefinitions`;
  if (key === undefined) {
    if (rest.length) throw segmentNotFound(rest[0]!);
    return collection(`${base}${selectSuffix(req)}`, allEntities().map(entityMetadata), req);
  }
  const def = entityFromKey(key);
  const segment = rest[0];
  if (segment === undefined) {
    const shape: Shape = entityMetadata(def);
    const expand = req.query.get('$expand') ?? '';
    if (/\bAttributes\b/.test(expand)) shape.Attributes = def.attributes.map((a) => attributeMetadata(def, a));
    if (/\bKeys\b/.test(expand)) shape.Keys = def.keys.map((k) => keyMetadata(def, k));
    return single(`${base}${selectSuffix(req)}/$entity`, shape, req);
  }
  if (segment === 'Keys') return collection(`${base}('${def.logicalName}')/Keys`, def.keys.map((k) => keyMetadata(def, k)), req);
  const attrs = /^Attributes(?:\((.*)\))?$/.exec(segment);
  if (!attrs) throw segmentNotFound(segment);
  const cast = rest[1];
  let list = def.attributes;
  if (cast !== undefined) {
    list = list.filter((a) => attributeClass(a) === cast);
    if (!list.length && !/^Microsoft\.Dynamics\.CRM\.\w+AttributeMetadata$/.test(cast)) throw segmentNotFound(cast);
  }
  const shapes = list.map((a) => withOptionSet(def, a, req));
  if (attrs[1] !== undefined) {
    const wanted = attributeKey(attrs[1], def);
    const found = shapes.find((s) => s.LogicalName === wanted || s.MetadataId === wanted);
    if (!found) throw notFound('Attribute', wanted);
    return single(`${base}('${def.logicalName}')/Attributes${cast ? `/${cast}` : ''}/$entity`, found, req);
  }
  return collection(`${base}('${def.logicalName}')/Attributes${cast ? `/${cast}` : ''}${selectSuffix(req)}`, shapes, req);
}

function entityFromKey(key: string): EntityDef {
  const byName = /^LogicalName='([^']*)'$/.exec(key);
  const def = byName ? entityByLogicalName(byName[1]!) : allEntities().find((e) => metadataId(e.logicalName) === key.toLowerCase());
  if (!def) throw new DataverseError(404, CODES.notFound, `Could not find entity with name '${byName ? byName[1]! : key}'.`);
  return def;
}

function attributeKey(key: string, def: EntityDef): string {
  const m = /^LogicalName='([^']*)'$/.exec(key);
  if (m) return m[1]!;
  if (/^[0-9a-f-]{36}$/i.test(key)) return key.toLowerCase();
  throw queryError(`Bad Request - Error in query syntax. The key '${key}' is not valid for attributes of '${def.logicalName}'.`);
}

/** Option sets are navigation properties: included only when expanded, as in Dataverse. */
function withOptionSet(def: EntityDef, attr: AttributeDef, req: ApiRequest): Shape {
  const shape = attributeMetadata(def, attr);
  const expand = req.query.get('$expand') ?? '';
  if (attr.options && /\b(OptionSet|GlobalOptionSet)\b/.test(expand)) {
    if (/\bOptionSet\b/.test(expand)) shape.OptionSet = optionSetMetadata(def, attr);
    if (/\bGlobalOptionSet\b/.test(expand)) shape.GlobalOptionSet = null;
  }
  return shape;
}

function selectSuffix(req: ApiRequest): string {
  const select = req.query.get('$select');
  return select ? `(${select})` : '';
}

const metadataShape: RowShape<Shape> = {
  typeOf(name) {
    const sample = allEntities()
      .flatMap((e) => [entityMetadata(e), ...e.attributes.map((a) => attributeMetadata(e, a))])
      .find((s) => name in s);
    if (!sample) throw unknownProperty('AttributeMetadata', name);
    const v = sample[name];
    return typeof v === 'boolean' ? 'Edm.Boolean' : typeof v === 'number' ? 'Edm.Int32' : 'Edm.String';
  },
  valueOf(row, name) {
    const v = row[name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  },
};

function project(shape: Shape, req: ApiRequest): Shape {
  const select = req.query.get('$select');
  if (!select) return shape;
  const names = select.split(',').map((s) => s.trim());
  const out: Shape = {};
  if (shape['@odata.type']) out['@odata.type'] = shape['@odata.type'];
  for (const n of names) {
    if (!(n in shape) && !['OptionSet', 'GlobalOptionSet', 'Attributes', 'Keys'].includes(n)) {
      const all = metadataShape.typeOf(n);
      if (!all) throw unknownProperty('AttributeMetadata', n);
    }
    if (n in shape) out[n] = shape[n];
  }
  for (const nav of ['OptionSet', 'GlobalOptionSet', 'Attributes', 'Keys']) if (nav in shape) out[nav] = shape[nav];
  out.MetadataId = shape.MetadataId;
  return out;
}

function collection(context: string, rows: Shape[], req: ApiRequest): ApiResponse {
  for (const key of req.query.keys()) {
    if (['$top', '$orderby', '$skip'].includes(key)) throw queryError(`The query parameter ${key} is not supported`);
  }
  const filtered = filterRows(rows, req.query.get('$filter') ?? undefined, metadataShape);
  return { status: 200, headers: { 'content-type': JSON_MINIMAL }, body: { '@odata.context': context, value: filtered.map((r) => project(r, req)) } };
}

function single(context: string, shape: Shape, req: ApiRequest): ApiResponse {
  return { status: 200, headers: { 'content-type': JSON_MINIMAL }, body: { '@odata.context': context, ...project(shape, req) } };
}

import type { SObjectDef } from '../schema/index.js';
import type { OrgStore, StoredRecord } from '../store.js';
import type { Values } from '../validate.js';
import { bindObject, bindPath, type BoundPath } from './bind.js';
import { comparable, like, matches, order } from './compare.js';
import { soqlError } from './lexer.js';
import { parseSoql, type Condition, type SoqlQuery } from './parser.js';

export interface QueryRun {
  totalSize: number;
  records: Values[];
}

/** The largest LIMIT allowed with FIELDS(ALL) or FIELDS(CUSTOM). */
const FIELDS_LIMIT = 200;

/** Runs a SOQL query against the store and shapes the records as the REST API returns them. */
export function runSoql(text: string, store: OrgStore, options: { version: string; includeDeleted: boolean }): QueryRun {
  const q = parseSoql(text);
  const root = bindObject(text, q.from, q.fromPos);
  const columns = selectColumns(q, root);
  const where = q.where ? bindCondition(q, root, q.where) : undefined;
  const orderBy = q.orderBy.map((o) => ({ ...o, bound: bindPath(text, root, o.path) }));
  const valueAt = (row: Values, path: BoundPath) => follow(store, row, path)?.[path.field.name] ?? null;

  let rows = store.rows(root, options.includeDeleted).filter((r) => !where || where(r.values, valueAt));
  if (orderBy.length > 0) {
    rows = [...rows].sort((a, b) => {
      for (const o of orderBy) {
        const x = valueAt(a.values, o.bound);
        const y = valueAt(b.values, o.bound);
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsLast ? 1 : -1;
        }
        const c = order(o.bound.field, x, y);
        if (c !== 0) return o.descending ? -c : c;
      }
      return 0;
    });
  }
  rows = rows.slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit);
  if (q.count) return { totalSize: rows.length, records: [] };
  return { totalSize: rows.length, records: rows.map((r) => shape(store, root, r, columns, options.version)) };
}

function selectColumns(q: SoqlQuery, root: SObjectDef): BoundPath[] {
  const columns: BoundPath[] = [];
  for (const item of q.select) {
    if (item.kind === 'field') {
      columns.push(bindPath(q.text, root, item.path));
      continue;
    }
    if (item.which !== 'STANDARD' && (q.limit === undefined || q.limit > FIELDS_LIMIT)) {
      throw soqlError('MALFORMED_QUERY', q.text, item.pos, `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`);
    }
    for (const f of root.fields) {
      const custom = f.name.endsWith('__c');
      if (item.which === 'ALL' || (item.which === 'CUSTOM') === custom) columns.push({ steps: [], field: f });
    }
  }
  return columns;
}

type Predicate = (row: Values, valueAt: (row: Values, path: BoundPath) => unknown) => boolean;

function bindCondition(q: SoqlQuery, root: SObjectDef, c: Condition): Predicate {
  switch (c.kind) {
    case 'and': {
      const items = c.items.map((i) => bindCondition(q, root, i));
      return (row, at) => items.every((p) => p(row, at));
    }
    case 'or': {
      const items = c.items.map((i) => bindCondition(q, root, i));
      return (row, at) => items.some((p) => p(row, at));
    }
    case 'not': {
      const item = bindCondition(q, root, c.item);
      return (row, at) => !item(row, at);
    }
    default: {
      const path = bindPath(q.text, root, c.path);
      if (path.field.type === 'textarea' && path.field.length > 255) {
        throw soqlError('INVALID_FIELD', q.text, c.path.pos, `field '${path.field.name}' can not be filtered in a query call`);
      }
      if (c.kind === 'like') return (row, at) => like(at(row, path), c.pattern);
      if (c.kind === 'in') {
        const slow: Predicate = (row, at) => c.values.some((v) => matches(path.field, at(row, path), '=', v)) !== c.negated;
        // Text and ids compare as their comparable strings: one set lookup per row instead of a
        // comparison per value (matching queries carry hundreds of e-mails over thousands of rows).
        const textual = path.field.type !== 'date' && path.field.type !== 'datetime' && c.values.every((v) => v.kind === 'string');
        if (!textual) return slow;
        const wanted = new Set(c.values.map((v) => comparable(path.field, (v as { value: string }).value)));
        return (row, at) => {
          const actual = at(row, path);
          if (typeof actual === 'number' || typeof actual === 'boolean') return slow(row, at);
          const hit = actual !== null && actual !== undefined && wanted.has(comparable(path.field, actual));
          return hit !== c.negated;
        };
      }
      return (row, at) => matches(path.field, at(row, path), c.op, c.value);
    }
  }
}

/** The record holding a path's last field (the row itself, or a parent through lookups). */
function follow(store: OrgStore, row: Values, path: BoundPath): Values | undefined {
  let values: Values = row;
  for (const step of path.steps) {
    const id = values[step.name];
    const hit = typeof id === 'string' ? store.liveAnywhere(id) : undefined;
    if (!hit) return undefined;
    values = hit.row.values;
  }
  return values;
}

function attributes(type: string, id: string, version: string) {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${id}` };
}

/** A query record: attributes, then the selected fields in order, parents as nested records (or null). */
function shape(store: OrgStore, root: SObjectDef, row: StoredRecord, columns: BoundPath[], version: string): Values {
  const out: Values = { attributes: attributes(root.name, row.id, version) };
  for (const column of columns) {
    let target = out;
    let values: Values | undefined = row.values;
    for (const step of column.steps) {
      const key = step.relationshipName as string;
      const id: unknown = values?.[step.name];
      const hit = typeof id === 'string' ? store.liveAnywhere(id) : undefined;
      if (!hit) {
        if (!(key in target)) target[key] = null;
        values = undefined;
        break;
      }
      if (!target[key]) target[key] = { attributes: attributes(hit.object.name, hit.row.id, version) };
      target = target[key] as Values;
      values = hit.row.values;
    }
    if (values) target[column.field.name] = values[column.field.name] ?? null;
  }
  return out;
}

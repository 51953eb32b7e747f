import { valueError } from './errors.js';
import { findModel, type OdooModel } from './models.js';
import type { OdooStore, Row } from './store.js';

/**
 * Odoo domains: leaves `[field, operator, value]` combined with the prefix operators
 * '&', '|', '!' (consecutive terms are implicitly and-ed). Paths follow many2one
 * fields (`partner_id.email`); a many2one compares by id, or by display name for text.
 */
type Node = { op: '&' | '|'; a: Node; b: Node } | { op: '!'; a: Node } | { leaf: [string, string, unknown] } | { constant: boolean };

const OPERATORS = new Set(['=', '!=', '<>', 'like', 'ilike', 'not like', 'not ilike', '=like', '=ilike', 'in', 'not in', '<', '>', '<=', '>=', '=?', 'child_of', 'parent_of']);

export function parseDomain(m: OdooModel, domain: unknown): Node {
  if (domain === undefined || domain === null || domain === false) return { constant: true };
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${JSON.stringify(domain)}`);
  let i = 0;
  const term = (): Node => {
    const item: unknown = domain[i++];
    if (item === '&' || item === '|') return { op: item, a: term(), b: term() };
    if (item === '!') return { op: '!', a: term() };
    if (!Array.isArray(item) || item.length !== 3) throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
    const [field, op, value] = item as [unknown, unknown, unknown];
    if ((field === 1 || field === 0) && op === '=' && value === 1) return { constant: field === 1 };
    if (typeof field !== 'string' || typeof op !== 'string' || !OPERATORS.has(op.toLowerCase())) throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
    checkPath(m, field, item);
    return { leaf: [field, op.toLowerCase(), value] };
  };
  const parts: Node[] = [];
  while (i < domain.length) parts.push(term());
  if (parts.length === 0) return { constant: true };
  return parts.reduce((acc, n) => ({ op: '&', a: acc, b: n }));
}

function checkPath(m: OdooModel, path: string, leaf: unknown): void {
  let current: OdooModel | undefined = m;
  for (const part of path.split('.')) {
    const def: OdooModel['fields'][string] | undefined = current?.fields[part];
    if (!current || !def) throw valueError(`Invalid field ${m.name}.${path} in leaf ${JSON.stringify(leaf)}`);
    current = def.relation ? findModel(def.relation) : undefined;
  }
}

export function mentions(node: Node, field: string): boolean {
  if ('leaf' in node) return node.leaf[0] === field;
  if ('constant' in node) return false;
  return node.op === '!' ? mentions(node.a, field) : mentions(node.a, field) || mentions(node.b, field);
}

export function matches(store: OdooStore, m: OdooModel, row: Row, node: Node): boolean {
  if ('constant' in node) return node.constant;
  if ('leaf' in node) return leafMatches(store, m, row, node.leaf);
  if (node.op === '!') return !matches(store, m, row, node.a);
  return node.op === '&' ? matches(store, m, row, node.a) && matches(store, m, row, node.b) : matches(store, m, row, node.a) || matches(store, m, row, node.b);
}

const empty = (v: unknown) => v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0);

function likeRegex(pattern: string, wrap: boolean, insensitive: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.');
  return new RegExp(wrap ? body : `^${body}$`, insensitive ? 'is' : 's');
}

function leafMatches(store: OdooStore, m: OdooModel, row: Row, [path, op, value]: [string, string, unknown]): boolean {
  const [head, ...rest] = path.split('.');
  const def = m.fields[head!]!;
  if (rest.length > 0) {
    const target = findModel(def.relation!)!;
    const ids = def.type === 'many2one' ? (typeof row[head!] === 'number' ? [row[head!] as number] : []) : (store.format(m, row, head!) as number[]);
    const hits = ids.some((id) => {
      const r = store.table(target.name).get(id);
      return r ? leafMatches(store, target, r, [rest.join('.'), op, value]) : false;
    });
    return op === '!=' || op.startsWith('not') ? ids.length === 0 || hits : hits;
  }
  const raw = head === 'id' ? row.id : head === 'display_name' ? store.displayName(m.name, row.id) : row[head!];
  const isRelation = def.type === 'many2one';
  const text = isRelation && typeof value === 'string' ? (typeof raw === 'number' ? store.displayName(def.relation!, raw) : false) : raw;
  switch (op) {
    case '=?':
      return empty(value) ? true : leafMatches(store, m, row, [path, '=', value]);
    case '=':
      return value === false || value === null ? empty(raw) || (def.type === 'boolean' && raw !== true) : def.type === 'boolean' ? (raw === true) === value : String(text) === String(value);
    case '!=':
    case '<>':
      return !leafMatches(store, m, row, [path, '=', value]);
    case 'like':
    case 'ilike':
      return !empty(text) && likeRegex(String(value), true, op === 'ilike').test(String(text));
    case 'not like':
    case 'not ilike':
      return !leafMatches(store, m, row, [path, op.slice(4), value]);
    case '=like':
    case '=ilike':
      return !empty(text) && likeRegex(String(value), false, op === '=ilike').test(String(text));
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      const hit = list.some((v) => (v === false ? empty(raw) : String(v) === String(isRelation && typeof v === 'string' ? text : raw)));
      return op === 'in' ? hit : !hit;
    }
    case 'child_of':
      return childOf(store, m, row, value);
    case 'parent_of':
      return typeof value === 'number' && childOf(store, m, store.table(m.name).get(value) ?? row, row.id);
    default: {
      if (empty(raw)) return false;
      const a = raw as number | string;
      const b = value as number | string;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
  }
}

function childOf(store: OdooStore, m: OdooModel, row: Row, value: unknown): boolean {
  const roots = new Set((Array.isArray(value) ? value : [value]).map(Number));
  let current: Row | undefined = row;
  for (let depth = 0; current && depth < 50; depth++) {
    if (roots.has(current.id)) return true;
    current = typeof current.parent_id === 'number' ? store.table(m.name).get(current.parent_id) : undefined;
  }
  return false;
}

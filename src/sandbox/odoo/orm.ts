import { matches, mentions, parseDomain } from './domain.js';
import { missingError, notFound, unprocessable, valueError } from './errors.js';
import { activitySchedule, activityState, messageDefaults, messagePost } from './mail.js';
import { findModel, type OdooModel } from './models.js';
import type { OdooStore, Row } from './store.js';
import { checkRequired, computeDerived, convertValues, touch, withDefaults, type Env } from './values.js';

/**
 * The ORM methods the sandbox exposes, with their Python signatures so JSON-2's
 * named arguments and execute_kw's positional ones land in the same place.
 */
interface Signature {
  /** Called on records (`ids` / the first positional argument). */
  record: boolean;
  params: string[];
  /** Accepts any further keyword (`**kwargs`). */
  open?: boolean;
  /** Only on models that inherit mail.thread / mail.activity.mixin. */
  thread?: boolean;
  /** Python keyword-only parameters (`def message_post(self, *, body='', ...)`): execute_kw must pass them as kwargs. */
  keywordOnly?: boolean;
}

export const SIGNATURES: Record<string, Signature> = {
  search: { record: false, params: ['domain', 'offset', 'limit', 'order'] },
  search_read: { record: false, params: ['domain', 'fields', 'offset', 'limit', 'order'] },
  search_count: { record: false, params: ['domain', 'limit'] },
  read: { record: true, params: ['fields', 'load'] },
  create: { record: false, params: ['vals_list'] },
  write: { record: true, params: ['vals'] },
  unlink: { record: true, params: [] },
  name_search: { record: false, params: ['name', 'domain', 'operator', 'limit'] },
  fields_get: { record: false, params: ['allfields', 'attributes'] },
  message_post: { record: true, thread: true, keywordOnly: true, params: ['body', 'subject', 'message_type', 'subtype_xmlid', 'subtype_id', 'partner_ids', 'author_id', 'body_is_html', 'attachment_ids'] },
  activity_schedule: { record: true, thread: true, open: true, params: ['act_type_xmlid', 'date_deadline', 'summary', 'note'] },
};
const THREAD_MODELS = new Set(['res.partner', 'crm.lead']);

export interface Call {
  model: string;
  method: string;
  ids: number[];
  kwargs: Record<string, unknown>;
  env: Env;
  /** /jsonrpc's create returns a bare id for a single dict, JSON-2 always a list. */
  flavor: 'json2' | 'jsonrpc';
}

export function resolve(model: string, method: string): { m: OdooModel; sig: Signature } {
  const m = findModel(model);
  if (!m) throw notFound(`The model '${model}' does not exist.`);
  const sig = SIGNATURES[method];
  if (!sig || (sig.thread && !THREAD_MODELS.has(model))) throw notFound(`The method '${method}' does not exist on the model '${model}'.`);
  return { m, sig };
}

export function callMethod(store: OdooStore, call: Call): unknown {
  const { m, sig } = resolve(call.model, call.method);
  for (const k of Object.keys(call.kwargs)) if (!sig.open && !sig.params.includes(k)) throw unprocessable(`${m.name}.${call.method}() got an unexpected keyword argument '${k}'`);
  const a = call.kwargs;
  const recs = () => existing(store, m, call.ids, call.env);
  switch (call.method) {
    case 'search':
      return search(store, m, a.domain, call.env, a).map((r) => r.id);
    case 'search_count':
      return search(store, m, a.domain, call.env, { limit: a.limit }).length;
    case 'search_read':
      return search(store, m, a.domain, call.env, a).map((r) => readRow(store, m, r, a.fields));
    case 'read':
      return recs().map((r) => readRow(store, m, r, a.fields));
    case 'create':
      return create(store, m, a.vals_list, call.env, call.flavor);
    case 'write':
      for (const r of recs()) write(store, m, r, a.vals, call.env);
      return true;
    case 'unlink':
      for (const r of recs()) store.table(m.name).delete(r.id);
      return true;
    case 'name_search': {
      const name = String(a.name ?? '');
      const op = String(a.operator ?? 'ilike');
      const domain = [...(Array.isArray(a.domain) ? a.domain : []), ...(name ? [[m.recName === 'complete_name' ? 'name' : m.recName, op, name]] : [])];
      return search(store, m, domain, call.env, { limit: a.limit ?? 100 }).map((r) => [r.id, store.displayName(m.name, r.id)]);
    }
    case 'fields_get':
      return fieldsGet(m, a.allfields, a.attributes);
    case 'message_post':
      return messagePost(store, m, singleton(recs(), m), a, call.env);
    default:
      return activitySchedule(store, m, recs(), a, call.env);
  }
}

function existing(store: OdooStore, m: OdooModel, ids: number[], env: Env): Row[] {
  const missing = ids.filter((id) => !store.table(m.name).has(id));
  if (missing.length) throw missingError(m.name, missing, env.uid);
  return ids.map((id) => store.table(m.name).get(id)!);
}

function singleton(rows: Row[], m: OdooModel): Row {
  if (rows.length !== 1) throw valueError(`Expected singleton: ${m.name}(${rows.map((r) => `${r.id}, `).join('')})`);
  return rows[0]!;
}

export function search(store: OdooStore, m: OdooModel, domain: unknown, env: Env, opts: { offset?: unknown; limit?: unknown; order?: unknown }): Row[] {
  const tree = parseDomain(m, domain);
  const activeTest = m.archivable && env.context.active_test !== false && !mentions(tree, 'active');
  let rows = store.rows(m.name).filter((r) => (!activeTest || r.active !== false) && matches(store, m, r, tree));
  rows = sortRows(store, m, rows, typeof opts.order === 'string' && opts.order ? opts.order : m.order);
  const offset = Number(opts.offset ?? 0) || 0;
  const limit = opts.limit === undefined || opts.limit === null || opts.limit === false ? undefined : Number(opts.limit);
  return rows.slice(offset, limit === undefined ? undefined : offset + limit);
}

function sortRows(store: OdooStore, m: OdooModel, rows: Row[], order: string): Row[] {
  const keys = order.split(',').map((part) => {
    const [field = 'id', dir = 'asc'] = part.trim().split(/\s+/);
    if (field !== 'id' && !m.fields[field]) throw valueError(`Invalid field '${field}' on model '${m.name}'`);
    return { field, desc: dir.toLowerCase() === 'desc' };
  });
  const value = (r: Row, field: string): string | number | null => {
    const v = store.format(m, r, field);
    if (Array.isArray(v)) return String(v[1] ?? '').toLowerCase();
    if (v === false || v === undefined) return null;
    return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : String(v).toLowerCase();
  };
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const va = value(a, k.field);
      const vb = value(b, k.field);
      if (va === vb) continue;
      if (va === null) return k.desc ? -1 : 1;
      if (vb === null) return k.desc ? 1 : -1;
      return (va < vb ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return 0;
  });
}

export function readRow(store: OdooStore, m: OdooModel, row: Row, fields: unknown): Record<string, unknown> {
  const wanted = Array.isArray(fields) && fields.length ? (fields as string[]) : Object.keys(m.fields);
  const out: Record<string, unknown> = { id: row.id };
  for (const f of wanted) {
    if (!m.fields[f]) throw valueError(`Invalid field '${f}' on model '${m.name}'`);
    out[f] = m.name === 'mail.activity' && f === 'state' ? activityState(row) : store.format(m, row, f);
  }
  return out;
}

function create(store: OdooStore, m: OdooModel, valsList: unknown, env: Env, flavor: Call['flavor']): number | number[] {
  const single = !Array.isArray(valsList);
  const list = single ? [valsList] : (valsList as unknown[]);
  const prepared = list.map((vals) => {
    const converted = convertValues(store, m, vals);
    if (m.name === 'mail.activity') linkActivityModel(store, converted);
    const row = withDefaults(store, m, converted, env);
    if (m.name === 'mail.message') messageDefaults(store, row, env);
    computeDerived(store, m, row, converted);
    checkRequired(m, row);
    return row;
  });
  const ids = prepared.map((row) => store.insert(m.name, row).id);
  return single && flavor === 'jsonrpc' ? ids[0]! : ids;
}

/** mail.activity accepts res_model (a name) in place of res_model_id, and keeps both. */
function linkActivityModel(store: OdooStore, vals: Record<string, unknown>): void {
  const byName = typeof vals.res_model === 'string' ? store.rows('ir.model').find((r) => r.model === vals.res_model) : undefined;
  if (vals.res_model !== undefined && !byName) throw valueError(`Invalid model name '${String(vals.res_model)}'`);
  if (byName) vals.res_model_id = byName.id;
  const model = typeof vals.res_model_id === 'number' ? store.table('ir.model').get(vals.res_model_id) : undefined;
  if (model) vals.res_model = model.model;
}

function write(store: OdooStore, m: OdooModel, row: Row, vals: unknown, env: Env): void {
  const converted = convertValues(store, m, vals);
  if (m.name === 'mail.activity') linkActivityModel(store, converted);
  const next: Row = { ...row, ...converted };
  computeDerived(store, m, next, converted);
  checkRequired(m, next);
  touch(next, env);
  store.table(m.name).set(row.id, next);
}

function fieldsGet(m: OdooModel, allfields: unknown, attributes: unknown): Record<string, Record<string, unknown>> {
  const names = Array.isArray(allfields) && allfields.length ? (allfields as string[]).filter((n) => m.fields[n]) : Object.keys(m.fields);
  const attrs = Array.isArray(attributes) && attributes.length ? (attributes as string[]) : undefined;
  return Object.fromEntries(
    names.map((name) => {
      const d = m.fields[name]!;
      const full: Record<string, unknown> = {
        type: d.type,
        string: d.string,
        help: d.help ?? false,
        required: d.required ?? false,
        readonly: d.readonly ?? false,
        store: true,
        searchable: true,
        sortable: d.type !== 'one2many' && d.type !== 'many2many',
        ...(d.relation ? { relation: d.relation } : {}),
        ...(d.selection ? { selection: d.selection } : {}),
        ...(d.inverse ? { relation_field: d.inverse } : {}),
      };
      return [name, attrs ? Object.fromEntries(attrs.filter((a) => a in full).map((a) => [a, full[a]])) : full];
    }),
  );
}

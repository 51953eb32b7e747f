import { mandatoryMissing, validationError, valueError } from './errors.js';
import type { OdooModel } from './models.js';
import { odooDatetime, type OdooStore, type Row } from './store.js';

/**
 * Checks and converts the values of a create or write the way the ORM does:
 * unknown fields are ValueError, bad selections "Wrong value for ...", bad dates the
 * strptime message, and empty required fields the NOT NULL ValidationError.
 */
export interface Env {
  uid: number;
  context: Record<string, unknown>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function convertValues(store: OdooStore, m: OdooModel, vals: unknown): Record<string, unknown> {
  if (!vals || typeof vals !== 'object' || Array.isArray(vals)) throw valueError(`Invalid values for ${m.name}: ${JSON.stringify(vals)}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vals as Record<string, unknown>)) {
    const def = m.fields[key];
    if (!def) throw valueError(`Invalid field '${key}' on model '${m.name}'`);
    if (def.readonly && key !== 'res_model') continue;
    out[key] = convertOne(store, m, key, value);
  }
  return out;
}

function convertOne(store: OdooStore, m: OdooModel, key: string, value: unknown): unknown {
  const def = m.fields[key]!;
  if (value === false || value === null) return def.type === 'many2many' ? [] : def.type === 'boolean' ? false : false;
  switch (def.type) {
    case 'char':
    case 'text':
    case 'html':
      return String(value);
    case 'boolean':
      return Boolean(value);
    case 'integer':
    case 'many2one_reference':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      throw valueError(`invalid literal for int() with base 10: '${String(value)}'`);
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && !Number.isNaN(Number(value))) return Number(value);
      throw valueError(`could not convert string to float: '${String(value)}'`);
    case 'selection':
      if (def.selection!.some(([k]) => k === value)) return value;
      throw valueError(`Wrong value for ${m.name}.${key}: '${String(value)}'`);
    case 'many2one': {
      const id = Array.isArray(value) ? value[0] : value;
      if (typeof id !== 'number' || !Number.isInteger(id)) throw valueError(`Wrong value for ${m.name}.${key}: ${JSON.stringify(value)}`);
      if (!store.table(def.relation!).has(id)) throw validationError(`The operation cannot be completed: the ${def.string} (${key}) refers to a record that does not exist: ${def.relation}(${id},)`);
      return id;
    }
    case 'many2many':
      return many2manyIds(value);
    case 'one2many':
      return undefined;
    case 'date':
      if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw valueError(`time data '${String(value)}' does not match format '%Y-%m-%d'`);
    case 'datetime':
      if (typeof value === 'string' && DATETIME.test(value)) return value;
      if (typeof value === 'string' && DATE.test(value)) return `${value} 00:00:00`;
      throw valueError(`time data '${String(value)}' does not match format '%Y-%m-%d %H:%M:%S'`);
  }
}

/** many2many values: a list of ids, or commands [6, 0, ids] / [4, id]. */
function many2manyIds(value: unknown): number[] {
  if (!Array.isArray(value)) throw valueError(`Wrong value for many2many: ${JSON.stringify(value)}`);
  const ids: number[] = [];
  for (const v of value) {
    if (typeof v === 'number') ids.push(v);
    else if (Array.isArray(v) && v[0] === 6) ids.splice(0, ids.length, ...(v[2] as number[]));
    else if (Array.isArray(v) && v[0] === 4) ids.push(Number(v[1]));
  }
  return ids;
}

/** Defaults and computed values of a new record, before the required check. */
export function withDefaults(store: OdooStore, m: OdooModel, vals: Record<string, unknown>, env: Env): Record<string, unknown> {
  const now = odooDatetime(Date.now());
  const row: Record<string, unknown> = { create_date: now, write_date: now, create_uid: env.uid, write_uid: env.uid };
  if (m.archivable) row.active = true;
  if (m.name === 'res.partner') Object.assign(row, { is_company: false, type: 'contact' });
  if (m.name === 'crm.lead') {
    const firstStage = store.rows('crm.stage').sort((a, b) => Number(a.sequence) - Number(b.sequence))[0];
    const type = env.context.default_type === 'opportunity' ? 'opportunity' : 'lead';
    Object.assign(row, { type, stage_id: firstStage?.id ?? false, user_id: env.uid, probability: 10, priority: '0', expected_revenue: 0 });
  }
  return { ...row, ...vals };
}

/** Keeps derived columns in step (company_type, a lead's contact details from its customer, won probability). */
export function computeDerived(store: OdooStore, m: OdooModel, row: Record<string, unknown>, changed: Record<string, unknown>): void {
  if (m.name === 'res.partner') {
    if ('company_type' in changed) row.is_company = changed.company_type === 'company';
    row.company_type = row.is_company ? 'company' : 'person';
  }
  if (m.name === 'crm.lead') {
    const partner = typeof row.partner_id === 'number' ? store.table('res.partner').get(row.partner_id) : undefined;
    if (partner && 'partner_id' in changed) {
      if (!row.email_from) row.email_from = partner.email ?? false;
      if (!row.phone) row.phone = partner.phone ?? false;
    }
    const stage = typeof row.stage_id === 'number' ? store.table('crm.stage').get(row.stage_id) : undefined;
    if (stage?.is_won && 'stage_id' in changed) row.probability = 100;
  }
}

export function checkRequired(m: OdooModel, row: Record<string, unknown>): void {
  if (m.name === 'res.partner' && (row.type ?? 'contact') === 'contact' && !row.name) throw validationError('Contacts require a name');
  for (const [name, def] of Object.entries(m.fields)) {
    if (!def.required || def.readonly) continue;
    const v = row[name];
    if (v === undefined || v === null || v === false || v === '') throw mandatoryMissing(m.description, m.name, def.string, name);
  }
}

export function touch(row: Row, env: Env): void {
  row.write_date = odooDatetime(Date.now());
  row.write_uid = env.uid;
}

import { randomBytes } from 'node:crypto';
import { badRequest } from './errors.js';
import { v1Time } from './envelope.js';
import type { CustomValues, FieldEntity, FieldRow } from './model.js';
import type { PipedriveState } from './state.js';

export const HASH_KEY = /^[0-9a-f]{40}$/;
const FIELD_TYPES = ['address', 'date', 'daterange', 'double', 'enum', 'monetary', 'org', 'people', 'phone', 'set', 'text', 'time', 'timerange', 'user', 'varchar', 'varchar_auto', 'visible_to'];
const NUMERIC = new Set(['double', 'monetary', 'org', 'people', 'user']);

export function customFields(state: PipedriveState, entity: FieldEntity): FieldRow[] {
  return state.fields.filter((f) => f.entity === entity && f.edit_flag);
}

/**
 * Parses one custom-field value as a client sends it: v1 takes option ids as
 * numbers or strings and sets as "1,2"; v2 takes integers and arrays. Stored as
 * numbers (enum), number arrays (set), numbers or strings.
 */
export function parseCustomValue(field: FieldRow, raw: unknown, version: 1 | 2): unknown {
  if (raw === null || raw === '') return null;
  const where = version === 2 ? `custom_fields.${field.key}` : field.key;
  const bad = (why: string) => badRequest(version === 2 ? `Validation failed: ${where}: ${why}` : `Invalid value for field '${field.name}' (${field.key}): ${why}`);
  const optionIds = new Set((field.options ?? []).map((o) => o.id));
  const toInt = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && version === 1 && v.trim() !== '' ? Number(v) : NaN);
  if (field.field_type === 'enum') {
    const id = toInt(raw);
    if (!optionIds.has(id)) throw bad(`option ${JSON.stringify(raw)} does not exist`);
    return id;
  }
  if (field.field_type === 'set') {
    const list = Array.isArray(raw) ? raw : version === 1 && typeof raw === 'string' ? raw.split(',') : typeof raw === 'number' ? [raw] : null;
    if (!list) throw bad('expected an array of option ids');
    const ids = list.map(toInt);
    const missing = ids.find((id) => !optionIds.has(id));
    if (missing !== undefined) throw bad(`option ${JSON.stringify(missing)} does not exist`);
    return ids;
  }
  if (NUMERIC.has(field.field_type)) {
    const n = toInt(raw);
    if (!Number.isFinite(n)) throw bad('expected a number');
    return n;
  }
  if (field.field_type === 'date') {
    if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw bad('expected a date as YYYY-MM-DD');
    return raw;
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') throw bad('expected a string');
  return String(raw);
}

/** Reads custom values from a v1 body (top-level hash keys; unknown keys are ignored, as Pipedrive does). */
export function customFromV1(state: PipedriveState, entity: FieldEntity, body: Record<string, unknown>): CustomValues {
  const out: CustomValues = {};
  for (const field of customFields(state, entity)) if (field.key in body) out[field.key] = parseCustomValue(field, body[field.key], 1);
  return out;
}

/** Reads `custom_fields` from a v2 body; v2 rejects keys it does not know. */
export function customFromV2(state: PipedriveState, entity: FieldEntity, raw: unknown): CustomValues {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Validation failed: custom_fields: Expected object');
  const fields = new Map(customFields(state, entity).map((f) => [f.key, f]));
  const out: CustomValues = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = fields.get(key);
    if (!field) throw badRequest(`Validation failed: custom_fields: Unknown custom field key ${key}`);
    out[key] = parseCustomValue(field, value, 2);
  }
  return out;
}

/** v1 shows every custom field at the top level, enum ids as strings and sets as "1,2". */
export function customV1(state: PipedriveState, entity: FieldEntity, values: CustomValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of customFields(state, entity)) {
    const v = values[f.key] ?? null;
    out[f.key] = v === null ? null : f.field_type === 'enum' ? String(v) : f.field_type === 'set' ? (v as number[]).join(',') : v;
  }
  return out;
}

export function customV2(state: PipedriveState, entity: FieldEntity, values: CustomValues): Record<string, unknown> {
  return Object.fromEntries(customFields(state, entity).map((f) => [f.key, values[f.key] ?? null]));
}

export function fieldView(f: FieldRow) {
  return {
    id: Number(f.id),
    key: f.key,
    name: f.name,
    order_nr: f.order_nr,
    field_type: f.field_type,
    add_time: v1Time(f.createdAt),
    update_time: v1Time(f.updatedAt),
    last_updated_by_user_id: 1,
    created_by_user_id: 1,
    active_flag: true,
    edit_flag: f.edit_flag,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: true,
    important_flag: false,
    bulk_edit_allowed: f.edit_flag,
    searchable_flag: f.edit_flag && ['varchar', 'text', 'varchar_auto', 'double', 'phone'].includes(f.field_type),
    filtering_allowed: true,
    sortable_flag: true,
    options: f.options,
    mandatory_flag: f.mandatory_flag,
  };
}

/** Adds a custom field; its key is a fresh 40-character hash, as in Pipedrive. */
export function addCustomField(state: PipedriveState, entity: FieldEntity, body: Record<string, unknown>): FieldRow {
  if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('Field name must be given.');
  if (typeof body.field_type !== 'string' || !FIELD_TYPES.includes(body.field_type)) throw badRequest(`Field type must be one of: ${FIELD_TYPES.join(', ')}`);
  let options: FieldRow['options'] = null;
  if (body.field_type === 'enum' || body.field_type === 'set') {
    let raw = body.options;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch {
        throw badRequest('Options must be a JSON array of objects with a label');
      }
    }
    if (!Array.isArray(raw) || raw.length === 0) throw badRequest('Options must be given for enum and set fields');
    options = raw.map((o) => {
      const label = typeof o === 'string' ? o : o && typeof o === 'object' ? (o as { label?: unknown }).label : undefined;
      if (typeof label !== 'string' || label === '') throw badRequest('Every option needs a label');
      return { id: state.nextOptionId(), label };
    });
  }
  const order = state.fields.filter((f) => f.entity === entity).length + 1;
  return state.fields.insert({
    id: state.nextId('fields'),
    entity,
    key: randomBytes(20).toString('hex'),
    name: body.name.trim(),
    field_type: body.field_type,
    order_nr: order,
    edit_flag: true,
    mandatory_flag: false,
    options,
  });
}

import { zohoError, type ZohoError } from './errors.js';
import { findField, findModule, MODULES, type ZohoField, type ZohoModule } from './metadata.js';
import { minifiedUser, USERS, type ZohoStore } from './state.js';

/**
 * Turns one element of a write's `data` array into stored field values, checking
 * types the way Zoho does: unknown and read-only fields are ignored, a bad value is
 * INVALID_DATA naming the field and the expected type, a missing mandatory field
 * MANDATORY_NOT_FOUND, a clash on a unique field DUPLICATE_DATA.
 */
export type Normalized = { ok: true; fields: Record<string, unknown> } | { ok: false; error: ZohoError };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-().\s]{1,30}$/;
const WEBSITE = /^(https?:\/\/)?[^\s.]+(\.[^\s.]+)+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

export function normalizeRecord(
  store: ZohoStore,
  mod: ZohoModule,
  input: unknown,
  index: number,
  existing?: Record<string, unknown>,
): Normalized {
  const path = (f: string) => `$.data[${index}].${f}`;
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, error: zohoError('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonobject', json_path: `$.data[${index}]` }) };
  const body = input as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const field = findField(mod, key);
    if (!field || field.readOnly) continue;
    if (value === null || value === '') {
      fields[key] = null;
      continue;
    }
    const converted = convert(store, mod, field, value, body);
    if (converted === INVALID) {
      const details: Record<string, unknown> = { api_name: key, json_path: path(key) };
      if (field.data_type !== 'lookup' && field.data_type !== 'ownerlookup') details.expected_data_type = field.data_type;
      return { ok: false, error: zohoError('INVALID_DATA', 'invalid data', details) };
    }
    if (typeof converted === 'string' && field.length !== undefined && converted.length > field.length)
      return { ok: false, error: zohoError('INVALID_DATA', 'invalid data', { api_name: key, json_path: path(key), maximum_length: field.length }) };
    fields[key] = converted;
    if (field.lookup === 'any' && converted && typeof converted === 'object') fields.$se_module = seModuleOf(converted);
  }
  const merged = { ...existing, ...fields };
  for (const f of mod.fields) {
    if (!f.mandatory) continue;
    const present = merged[f.api_name] !== undefined && merged[f.api_name] !== null;
    if (!present) return { ok: false, error: zohoError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: f.api_name, json_path: path(f.api_name) }) };
  }
  if (mod.api_name === 'Leads' || mod.api_name === 'Contacts') {
    fields.Full_Name = [merged.First_Name, merged.Last_Name].filter((v) => typeof v === 'string' && v).join(' ');
  }
  return { ok: true, fields };
}

const INVALID = Symbol('invalid');

function convert(store: ZohoStore, mod: ZohoModule, field: ZohoField, value: unknown, body: Record<string, unknown>): unknown {
  const str = typeof value === 'string' ? value : undefined;
  switch (field.data_type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : INVALID;
    case 'email':
      return str !== undefined && EMAIL.test(str) ? str : INVALID;
    case 'phone':
      return str !== undefined && PHONE.test(str) ? str : INVALID;
    case 'website':
      return str !== undefined && WEBSITE.test(str) ? str : INVALID;
    case 'picklist':
      return str !== undefined && (field.picklist ?? []).includes(str) ? str : INVALID;
    case 'integer':
      return Number.isInteger(value) ? value : str !== undefined && /^-?\d+$/.test(str) ? Number(str) : INVALID;
    case 'currency':
      return typeof value === 'number' && Number.isFinite(value) ? value : str !== undefined && /^-?\d+(\.\d+)?$/.test(str) ? Number(str) : INVALID;
    case 'boolean':
      return typeof value === 'boolean' ? value : INVALID;
    case 'date':
      return str !== undefined && DATE.test(str) && !Number.isNaN(Date.parse(str)) ? str : INVALID;
    case 'datetime':
      return str !== undefined && DATETIME.test(str) && !Number.isNaN(Date.parse(str)) ? str : INVALID;
    case 'ownerlookup': {
      const user = USERS.find((u) => u.id === idOf(value));
      return user ? minifiedUser(user) : INVALID;
    }
    case 'lookup':
      return lookupValue(store, mod, field, value, body);
  }
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return undefined;
}

/** Stores a lookup in Zoho's output shape: `{name, id}`, and for Parent_Id `{module:{api_name,id}, name, id}`. */
function lookupValue(store: ZohoStore, _mod: ZohoModule, field: ZohoField, value: unknown, body: Record<string, unknown>): unknown {
  const id = idOf(value);
  if (!id) return INVALID;
  let targetName = field.lookup;
  if (targetName === 'any') {
    const nested = (value as { module?: { api_name?: unknown } }).module?.api_name;
    targetName = typeof nested === 'string' ? nested : typeof body.$se_module === 'string' ? body.$se_module : undefined;
  }
  const target = targetName ? findModule(targetName) : undefined;
  const rec = target ? store.find(target.api_name, id) : undefined;
  if (!target || !rec) return INVALID;
  const name = rec.fields[target.nameField] ?? null;
  if (field.api_name === 'Parent_Id') return { module: { api_name: target.api_name, id: target.id }, name, id };
  if (field.lookup === 'any') return { name, id, __module: target.api_name };
  return { name, id };
}

function seModuleOf(value: object): string | undefined {
  const v = value as { module?: { api_name?: string }; __module?: string };
  const name = v.module?.api_name ?? v.__module;
  if ('__module' in v) delete (v as { __module?: string }).__module;
  return name;
}

/** The first other record holding the same value in a unique field, as Zoho's duplicate check finds it. */
export function findDuplicate(store: ZohoStore, mod: ZohoModule, fields: Record<string, unknown>, selfId?: string) {
  for (const f of mod.fields.filter((x) => x.unique)) {
    const v = fields[f.api_name];
    if (typeof v !== 'string' || !v) continue;
    const hit = store.table(mod).find((r) => r.id !== selfId && String(r.fields[f.api_name] ?? '').toLowerCase() === v.toLowerCase());
    if (hit) return { field: f.api_name, record: hit };
  }
  return undefined;
}

export const moduleIds = () => Object.fromEntries(MODULES.map((m) => [m.api_name, m.id]));

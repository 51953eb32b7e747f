import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CrmProperty, OutboundContext } from '../outbound.js';
import { callPipedrive, listV1, PIPEDRIVE, v1 } from './api.js';

const PersonField = z.object({
  key: z.string(),
  name: z.string(),
  field_type: z.string(),
  edit_flag: z.boolean().default(false),
  options: z.array(z.object({ id: z.union([z.number(), z.string()]), label: z.string() })).nullish(),
});
export type PersonField = z.infer<typeof PersonField>;

const CACHE = 'pipedrive:personFields';
const CLIENT_ID_CACHE = 'pipedrive:clientIdField';

/** Custom fields are keyed by a 40-character hash; standard ones by their name (name, email...). */
const HASH_KEY = /^[0-9a-f]{40}$/;

const TYPES: Record<string, CrmProperty['type']> = {
  varchar: 'string',
  varchar_auto: 'string',
  text: 'string',
  phone: 'string',
  address: 'string',
  double: 'number',
  monetary: 'number',
  enum: 'picklist',
  set: 'picklist',
  date: 'date',
};

/** The person fields (metadata), read once per connection. */
export async function personFields(ctx: OutboundContext, fresh = false): Promise<PersonField[]> {
  const cached = ctx.cache.get(CACHE) as PersonField[] | undefined;
  if (cached && !fresh) return cached;
  const fields = await listV1(ctx, '/personFields', PersonField);
  ctx.cache.set(CACHE, fields);
  return fields;
}

/**
 * The key of the "crm-sync client id" person field, created the first time (Pipedrive persons
 * have no external id; this field is how a replay finds the person it created).
 */
export async function clientIdFieldKey(ctx: OutboundContext): Promise<string> {
  const cached = ctx.cache.get(CLIENT_ID_CACHE) as string | undefined;
  if (cached) return cached;
  const byName = (fields: PersonField[]) => fields.find((f) => f.name.toLowerCase() === PIPEDRIVE.clientIdFieldName && HASH_KEY.test(f.key));
  let field = byName(await personFields(ctx)) ?? byName(await personFields(ctx, true));
  if (!field) {
    field = (await callPipedrive(ctx, { method: 'POST', url: v1(ctx, '/personFields'), body: { name: PIPEDRIVE.clientIdFieldName, field_type: 'varchar' } }, PersonField)).data;
    ctx.cache.delete(CACHE);
  }
  ctx.cache.set(CLIENT_ID_CACHE, field.key);
  return field.key;
}

/** Person fields for mapping: custom fields by their hash key (writable), standard ones read-only here. */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  return (await personFields(ctx)).map((f) => {
    const type = TYPES[f.field_type] ?? 'other';
    const property: CrmProperty = { name: f.key, label: f.name, type, readOnly: !(f.edit_flag && HASH_KEY.test(f.key)) };
    if (type === 'picklist') property.options = (f.options ?? []).map((o) => o.label);
    return property;
  });
}

const invalid = (what: string, value: unknown, why: string) => new CrmError('invalid', `Pipedrive refused ${what} = ${JSON.stringify(value)}: ${why}.`);

/**
 * Mapped properties (by field key or field name) as v2 `custom_fields`: enum and set labels
 * become option ids, since Pipedrive takes ids. A value that fits no option fails the record
 * here, naming the field and the value, before anything is sent.
 */
export async function customFieldValues(ctx: OutboundContext, properties: Record<string, string | number | boolean>): Promise<Record<string, unknown>> {
  const entries = Object.entries(properties);
  if (entries.length === 0) return {};
  const fields = await personFields(ctx);
  const out: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const field = fields.find((f) => f.key === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field || !field.edit_flag || !HASH_KEY.test(field.key)) throw invalid(name, value, 'Pipedrive has no custom person field by that name or key');
    out[field.key] = fieldValue(field, value);
  }
  return out;
}

function fieldValue(field: PersonField, value: string | number | boolean): unknown {
  const options = field.options ?? [];
  const optionId = (v: string | number | boolean) => {
    const text = String(v).trim();
    const hit = options.find((o) => o.label.toLowerCase() === text.toLowerCase()) ?? options.find((o) => String(o.id) === text);
    if (!hit) throw invalid(field.name, v, `not one of its options (${options.map((o) => o.label).join(', ')})`);
    return Number(hit.id);
  };
  if (field.field_type === 'enum') return optionId(value);
  if (field.field_type === 'set') return String(value).split(',').map((v) => optionId(v));
  if (field.field_type === 'double' || field.field_type === 'monetary') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw invalid(field.name, value, 'not a number');
    return n;
  }
  return typeof value === 'boolean' ? String(value) : value;
}

/** A refusal that names a custom field by its hash key, rewritten with the field's name and the value we sent. */
export async function nameFieldsIn(ctx: OutboundContext, err: CrmError, sent: Record<string, unknown>): Promise<CrmError> {
  const keys = [...err.message.matchAll(/[0-9a-f]{40}/g)].map((m) => m[0]);
  if (keys.length === 0) return err;
  const fields = await personFields(ctx).catch(() => [] as PersonField[]);
  const named = keys.map((k) => `${fields.find((f) => f.key === k)?.name ?? k} = ${JSON.stringify(sent[k])}`).join(', ');
  return new CrmError(err.kind, `Pipedrive refused ${named}: ${err.message}`, err.details);
}

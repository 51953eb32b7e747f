import { z } from 'zod';
import type { DestinationModule } from '../destinations.js';
import type { CrmProperty, OutboundContext } from '../outbound.js';
import { crmUrl, fetchZoho } from './api.js';

export type { DestinationModule };

/** One field of a module, as `GET /settings/fields?module=` describes it. */
const ZohoField = z.object({
  api_name: z.string(),
  field_label: z.string().optional(),
  display_label: z.string().optional(),
  data_type: z.string(),
  read_only: z.boolean().default(false),
  system_mandatory: z.boolean().default(false),
  pick_list_values: z.array(z.object({ actual_value: z.string(), display_value: z.string().optional() })).default([]),
  /** `{}` unless the field is marked "Do not allow duplicate values" (then e.g. `{casesensitive: "false"}`). */
  unique: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ZohoField = z.infer<typeof ZohoField>;
const FieldsAnswer = z.object({ fields: z.array(ZohoField) });

const ModulesAnswer = z.object({
  modules: z.array(
    z.object({
      api_name: z.string(),
      plural_label: z.string().optional(),
      singular_label: z.string().optional(),
      api_supported: z.boolean().default(true),
      creatable: z.boolean().default(true),
    }),
  ),
});

const labelOf = (f: ZohoField) => f.display_label ?? f.field_label ?? f.api_name;

/** Zoho data types -> ours; text-like types are strings, lookups and the rest "other". */
const TYPES: Record<string, CrmProperty['type']> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  autonumber: 'string',
  picklist: 'picklist',
  multiselectpicklist: 'picklist',
  integer: 'number',
  bigint: 'number',
  double: 'number',
  currency: 'number',
  decimal: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

/** A module's fields, read once per module for the connection's lifetime (the engine's cache). */
export async function moduleFields(ctx: OutboundContext, module: string): Promise<ZohoField[]> {
  const key = `zoho:fields:${module.toLowerCase()}`;
  const cached = ctx.cache.get(key) as ZohoField[] | undefined;
  if (cached) return cached;
  const answer = await fetchZoho(ctx, { url: crmUrl(ctx, '/settings/fields'), query: { module } }, FieldsAnswer);
  const fields = answer?.fields ?? [];
  ctx.cache.set(key, fields);
  return fields;
}

/** The destination module's fields as CRM properties, picklists with their options. */
export async function describeModule(ctx: OutboundContext, module: string): Promise<CrmProperty[]> {
  return (await moduleFields(ctx, module)).map((f) => {
    const type = TYPES[f.data_type] ?? 'other';
    const property: CrmProperty = { name: f.api_name, label: labelOf(f), type, readOnly: f.read_only };
    if (type === 'picklist') property.options = f.pick_list_values.map((p) => p.actual_value);
    return property;
  });
}

const TEXT = new Set(['text', 'textarea', 'website']);

/**
 * The modules that have a phone field (PRODUCT.md S4: only those are offered), with their
 * phone fields (for the phone), writable text fields (name, chat link, lead source) and
 * picklists with their options (lead source). One fields call per module the API supports.
 */
export async function listPhoneModules(ctx: OutboundContext): Promise<DestinationModule[]> {
  const answer = await fetchZoho(ctx, { url: crmUrl(ctx, '/settings/modules') }, ModulesAnswer);
  const out: DestinationModule[] = [];
  for (const m of answer?.modules ?? []) {
    if (!m.api_supported || !m.creatable) continue;
    const fields = (await moduleFields(ctx, m.api_name)).filter((f) => !f.read_only);
    const phoneFields = fields.filter((f) => f.data_type === 'phone');
    if (phoneFields.length === 0) continue;
    const ref = (f: ZohoField) => ({ apiName: f.api_name, label: labelOf(f) });
    out.push({
      apiName: m.api_name,
      label: m.plural_label ?? m.api_name,
      phoneFields: phoneFields.map(ref),
      textFields: fields.filter((f) => TEXT.has(f.data_type)).map(ref),
      picklistFields: fields.filter((f) => f.data_type === 'picklist').map((f) => ({ ...ref(f), options: f.pick_list_values.map((p) => p.actual_value) })),
    });
  }
  return out;
}

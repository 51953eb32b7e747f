import { z } from 'zod';
import type { CrmProperty, OutboundContext } from '../outbound.js';
import { callSalesforce, dataUrl } from './api.js';

const Describe = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.string(),
      updateable: z.boolean(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean() })).default([]),
    }),
  ),
});

/** Salesforce field types -> ours; text-like types are strings, ids and references are "other". */
const TYPES: Record<string, CrmProperty['type']> = {
  string: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  combobox: 'string',
  encryptedstring: 'string',
  picklist: 'picklist',
  multipicklist: 'picklist',
  double: 'number',
  currency: 'number',
  percent: 'number',
  int: 'number',
  long: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

/**
 * The Lead's fields, since a new client becomes a Lead: types, active picklist values (which a
 * restricted picklist enforces), and read-only for what an update cannot set.
 */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  const { fields } = Describe.parse(await callSalesforce(ctx, { url: dataUrl(ctx, '/sobjects/Lead/describe') }));
  return fields.map((f) => {
    const type = TYPES[f.type] ?? 'other';
    const property: CrmProperty = { name: f.name, label: f.label, type, readOnly: !f.updateable };
    if (type === 'picklist') property.options = f.picklistValues.filter((p) => p.active).map((p) => p.value);
    return property;
  });
}

import type { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CrmProperty, OutboundContext } from '../outbound.js';
import { callOdoo, ODOO } from './api.js';
import { FieldsAnswer } from './schemas.js';

export type PartnerFields = z.infer<typeof FieldsAnswer>;

/** res.partner's fields, read once per connection: for mapping, checks and where our key lives. */
export async function partnerFields(ctx: OutboundContext): Promise<PartnerFields> {
  const cached = ctx.cache.get('odoo:partner-fields') as PartnerFields | undefined;
  if (cached) return cached;
  const fields = await callOdoo(ctx, 'res.partner', 'fields_get', { attributes: ['type', 'string', 'readonly', 'selection'] }, true, FieldsAnswer);
  ctx.cache.set('odoo:partner-fields', fields);
  return fields;
}

/**
 * Where a partner carries our client id: `ref` (Internal Reference), a char field of res.partner
 * in every Odoo's base module, searched in SQL, so a replay finds what a timed-out create saved.
 * Only set on partners we create: a partner matched by e-mail or phone keeps its own reference.
 */
export const PARTNER_KEY = {
  field: 'ref',
  value: (clientId: string) => `${ODOO.keyPrefix}${clientId}`,
  /** The domain that finds the partners of these clients. */
  domain: (clientIds: string[]) => [['ref', 'in', clientIds.map(PARTNER_KEY.value)]],
  read: (v: unknown): string | undefined => (typeof v === 'string' && v.startsWith(ODOO.keyPrefix) ? v.slice(ODOO.keyPrefix.length) : undefined),
} as const;

const TYPES: Record<string, CrmProperty['type']> = {
  char: 'string',
  text: 'string',
  html: 'string',
  integer: 'number',
  float: 'number',
  monetary: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  selection: 'picklist',
};

export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  const fields = await partnerFields(ctx);
  return Object.entries(fields).map(([name, f]) => ({
    name,
    label: f.string,
    type: TYPES[f.type] ?? 'other',
    ...(f.type === 'selection' ? { options: (f.selection ?? []).map(([key]) => key) } : {}),
    readOnly: f.readonly === true,
  }));
}

/**
 * Refuses a mapped value before sending: Odoo answers an unknown field or a wrong selection
 * with a 500 (ValueError) for the whole create, which the shared layer would take for an
 * outage and retry. Checking here fails the one record, naming field and value.
 */
export function refusal(fields: PartnerFields, properties: Record<string, unknown>): CrmError | undefined {
  for (const [name, value] of Object.entries(properties)) {
    const f = fields[name];
    if (!f) return new CrmError('invalid', `Odoo refused ${name} = ${JSON.stringify(value)}: res.partner has no field "${name}".`);
    if (f.readonly) return new CrmError('invalid', `Odoo refused ${name} = ${JSON.stringify(value)}: the field is read-only.`);
    if (f.type === 'selection' && !(f.selection ?? []).some(([key]) => key === value)) {
      const allowed = (f.selection ?? []).map(([key]) => key).join(', ');
      return new CrmError('invalid', `Odoo refused ${name} = ${JSON.stringify(value)}: not one of the allowed values (${allowed}).`);
    }
  }
  return undefined;
}

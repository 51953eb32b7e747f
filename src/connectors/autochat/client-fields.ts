import type { CanonicalContact, CrmProperty, OutboundContext } from '../outbound.js';
import { listAll } from './api.js';
import { FieldDef } from './schemas.js';

const CACHE = 'autochat:fields';

async function fieldDefs(ctx: OutboundContext): Promise<FieldDef[]> {
  let defs = ctx.cache.get(CACHE) as FieldDef[] | undefined;
  if (!defs) {
    defs = await listAll(ctx, '/fields', FieldDef);
    ctx.cache.set(CACHE, defs);
  }
  return defs;
}

const TYPES: Record<string, CrmProperty['type']> = { text: 'string', number: 'number', boolean: 'boolean', date: 'date', picklist: 'picklist' };

/** The custom client fields by key, with picklist options: what `properties` can set. */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  return (await fieldDefs(ctx)).map((f) => {
    const p: CrmProperty = { name: f.key, label: f.label, type: TYPES[f.type] ?? 'other', readOnly: false };
    if (f.type === 'picklist') p.options = f.options ?? [];
    return p;
  });
}

/** `properties` (by field key, or by label) as AutoChat's `fields`; an unknown name is sent as is, for AutoChat to refuse by name. */
async function customFields(ctx: OutboundContext, properties: CanonicalContact['properties']): Promise<Record<string, unknown>> {
  const entries = Object.entries(properties);
  if (entries.length === 0) return {};
  const defs = await fieldDefs(ctx);
  const keyOf = (name: string) => defs.find((f) => f.key === name)?.key ?? defs.find((f) => f.label.toLowerCase() === name.toLowerCase())?.key ?? name;
  return Object.fromEntries(entries.map(([name, value]) => [keyOf(name), value]));
}

const fullName = (c: CanonicalContact) => [c.firstName, c.lastName].filter((s) => s && s.trim()).join(' ') || undefined;

/**
 * A client body with only what we know (the merge rule: AutoChat changes only the properties
 * given and merges `fields`). A new client needs a name, so it gets the fallback name.
 */
export async function clientBody(ctx: OutboundContext, c: CanonicalContact, isNew: boolean): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const name = fullName(c) ?? (isNew ? c.fallbackName : undefined);
  if (name) body.name = name.slice(0, 200);
  if (c.emails[0]) body.email = c.emails[0];
  if (c.phones[0]) body.phone = c.phones[0];
  if (c.company?.trim()) body.company = c.company.trim().slice(0, 200);
  if (c.ownerId) body.owner_id = c.ownerId;
  const fields = await customFields(ctx, c.properties);
  if (Object.keys(fields).length > 0) body.fields = fields;
  return body;
}

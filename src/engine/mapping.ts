import type { CrmProperty } from '../connectors/outbound.js';
import type { ClientBody } from '../domain/client.js';
import type { ConnectionSettings } from '../domain/connection-settings.js';

type Mapping = ConnectionSettings['fieldMappings'][number];
type Value = string | number | boolean;

const SPECIFIC = 'specificFields.';

/**
 * The mappings a connection applies: those of specific (extracted) fields only while its
 * "Specific fields as CRM properties" toggle is on. Mapped client properties do not depend on
 * the toggle: it is about what the conversation analysis found, not what the platform keeps.
 */
export function activeMappings(settings: Pick<ConnectionSettings, 'objects' | 'fieldMappings'>): Mapping[] {
  return settings.objects.properties ? settings.fieldMappings : settings.fieldMappings.filter((m) => !m.source.startsWith(SPECIFIC));
}

/**
 * A client's mapped fields, coerced to what each CRM property takes (PRODUCT.md S3). A value
 * that does not fit fails the record with an error naming the field and the value; an empty
 * source is left out (never blanks the CRM field).
 */
export function mapFields(
  client: ClientBody,
  specificFields: Record<string, unknown>,
  mappings: Mapping[],
  properties: Map<string, CrmProperty>,
): { ok: true; values: Record<string, Value> } | { ok: false; error: string } {
  const values: Record<string, Value> = {};
  for (const m of mappings) {
    const raw = source(client, specificFields, m.source);
    if (raw === undefined || raw === null || raw === '') continue;
    const target = properties.get(m.target);
    if (properties.size && !target) return { ok: false, error: `The CRM has no property "${m.target}" (mapped from ${m.source}); fix the field mapping.` };
    const coerced = coerce(raw, m.type, target);
    if (!coerced.ok) return { ok: false, error: `${m.source} = ${JSON.stringify(raw)} does not fit ${m.target}: ${coerced.why}` };
    values[m.target] = coerced.value;
  }
  return { ok: true, values };
}

function source(client: ClientBody, specific: Record<string, unknown>, path: string): unknown {
  if (path.startsWith(SPECIFIC)) return specific[path.slice(SPECIFIC.length)];
  if (path.startsWith('properties.')) return client.properties[path.slice('properties.'.length)];
  const standard: Record<string, unknown> = {
    firstName: client.firstName,
    lastName: client.lastName,
    company: client.company,
    email: client.emails[0]?.value,
    phone: client.phones[0]?.value,
    ownerEmail: client.ownerEmail,
  };
  return path in standard ? standard[path] : client.properties[path];
}

function coerce(raw: unknown, type: Mapping['type'], target: CrmProperty | undefined): { ok: true; value: Value } | { ok: false; why: string } {
  const text = String(raw).trim();
  switch (type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(text.replace(/,/g, ''));
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, why: 'not a number' };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (/^(true|yes|1|y|si|sí|tak)$/i.test(text)) return { ok: true, value: true };
      if (/^(false|no|0|n|nie)$/i.test(text)) return { ok: true, value: false };
      return { ok: false, why: 'not a yes/no value' };
    }
    case 'date':
    case 'datetime': {
      const ms = typeof raw === 'number' ? raw : Date.parse(text);
      if (Number.isNaN(ms)) return { ok: false, why: 'not a date' };
      const iso = new Date(ms).toISOString();
      return { ok: true, value: type === 'date' ? iso.slice(0, 10) : iso };
    }
    case 'picklist': {
      const options = target?.options ?? [];
      const match = options.find((o) => o.toLowerCase() === text.toLowerCase());
      if (options.length && !match) return { ok: false, why: `not one of the allowed values (${options.slice(0, 10).join(', ')}${options.length > 10 ? ', ...' : ''})` };
      return { ok: true, value: match ?? text };
    }
    default:
      return { ok: true, value: text };
  }
}

import { jsonParserError } from './errors.js';
import type { FieldDef } from './schema/index.js';

/**
 * Field values as the REST API reads and writes them: JSON deserialization per field
 * type (a wrong JSON type fails the whole request, as Jackson does in Salesforce),
 * and the wire formats of dates (2024-05-01) and datetimes (2024-05-01T09:30:00.000+0000).
 */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function parseDateTime(value: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!m) return undefined;
  if (!m[2]) return Date.parse(`${m[1]}T00:00:00Z`);
  const zone = !m[4] || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Jackson's name for the JSON token a value starts with, as Salesforce's parser errors show it. */
function jsonToken(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function cannotDeserialize(soapType: string, value: unknown) {
  const shown = typeof value === 'object' ? (Array.isArray(value) ? '[' : '{') : String(value);
  return jsonParserError(
    `Cannot deserialize instance of ${soapType} from ${jsonToken(value)} value ${shown} or request may be missing a required field`,
  );
}

/** Converts a JSON value to the stored form of `field`, or throws JSON_PARSER_ERROR. */
export function deserialize(field: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw cannotDeserialize('boolean', value);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const soapType = field.type === 'int' ? 'int' : 'double';
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || (soapType === 'int' && !Number.isInteger(n))) throw cannotDeserialize(soapType, value);
      return n;
    }
    case 'date': {
      if (typeof value !== 'string') throw cannotDeserialize('date', value);
      const day = value.slice(0, 10);
      if (!isDate(day) || (value.length > 10 && parseDateTime(value) === undefined)) throw cannotDeserialize('date', value);
      return day;
    }
    case 'datetime': {
      const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (ms === undefined) throw cannotDeserialize('datetime', value);
      return formatDateTime(ms);
    }
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw cannotDeserialize('string', value);
  }
}

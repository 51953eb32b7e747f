import { queryError, segmentNotFound } from '../errors.js';
import { attributeOf, entityBySetName, type EntityDef } from '../schema/index.js';
import type { Values } from '../store.js';

/** A row address: by primary key, or by the columns of one of the table's alternate keys. */
export type RowKey = { kind: 'id'; id: string } | { kind: 'alternate'; values: Values; text: string };

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** Splits `contacts(cs_crmsyncid='a,b')/firstname` into set, key text and the rest, respecting quotes. */
export function splitResourcePath(path: string): { set: string; key?: string; rest: string[] } {
  const open = path.indexOf('(');
  const slash = path.indexOf('/');
  if (open < 0 || (slash >= 0 && slash < open)) {
    const [set = '', ...rest] = path.split('/');
    return { set, rest };
  }
  let i = open + 1;
  let inString = false;
  for (; i < path.length; i++) {
    const ch = path[i];
    if (ch === "'") {
      if (inString && path[i + 1] === "'") i++;
      else inString = !inString;
    } else if (ch === ')' && !inString) break;
  }
  if (i >= path.length) throw queryError('Bad Request - Error in query syntax.');
  const rest = path.slice(i + 1).split('/').filter(Boolean);
  return { set: path.slice(0, open), key: path.slice(open + 1, i), rest };
}

/** Parses the text between the parentheses of a row address, checking alternate keys against the table's definitions. */
export function parseRowKey(def: EntityDef, text: string): RowKey {
  const guid = GUID.exec(text.trim());
  if (guid) return { kind: 'id', id: guid[1]!.toLowerCase() };
  const values: Values = {};
  for (const pair of splitPairs(text)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw queryError('Bad Request - Error in query syntax.');
    const name = pair.slice(0, eq).trim();
    values[name] = literal(pair.slice(eq + 1).trim());
  }
  const names = Object.keys(values).sort();
  if (names.length === 1 && names[0] === def.primaryId && typeof values[def.primaryId] === 'string' && GUID.test(String(values[def.primaryId]))) {
    return { kind: 'id', id: String(values[def.primaryId]).toLowerCase() };
  }
  const key = def.keys.find((k) => [...k.attributes].sort().join(',') === names.join(','));
  if (!key) {
    for (const name of names) if (!attributeOf(def, name)) throw queryError(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${def.logicalName}'.`);
    throw queryError(`The key '${names.join(',')}' is not defined as an alternate key of the '${def.logicalName}' entity.`);
  }
  return { kind: 'alternate', values, text };
}

function splitPairs(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      if (inString && text[i + 1] === "'") {
        current += "''";
        i++;
        continue;
      }
      inString = !inString;
    }
    if (ch === ',' && !inString) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

function literal(text: string): string | number | boolean | null {
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replaceAll("''", "'");
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const guid = GUID.exec(text);
  if (guid) return guid[1]!.toLowerCase();
  throw queryError('Bad Request - Error in query syntax.');
}

/** The table behind an entity set name, or the "Resource not found for the segment" error. */
export function entitySet(set: string): EntityDef {
  const def = entityBySetName(set);
  if (!def) throw segmentNotFound(set);
  return def;
}

/** The path after `/api/data/v9.x/` in an absolute or root-relative URL; the input when it has none. */
export function apiRelativePath(reference: string): string {
  const m = /\/api\/data\/v9\.\d\/(.*)$/.exec(reference);
  return m ? m[1]! : reference.replace(/^\//, '');
}

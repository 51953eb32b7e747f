import type { ZohoModule } from './metadata.js';
import type { ZohoRecord } from './state.js';

/**
 * How records leave the API: every field (GET by id) or the requested `fields`
 * plus `id`, and pages of Zoho's `info` with page numbers up to 2,000 records and
 * opaque page tokens beyond.
 */
export function fullView(mod: ZohoModule, rec: ZohoRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of mod.fields) out[f.api_name] = rec.fields[f.api_name] ?? null;
  if (rec.fields.$se_module !== undefined) out.$se_module = rec.fields.$se_module;
  out.id = rec.id;
  out.$editable = true;
  return out;
}

export function selectView(rec: ZohoRecord, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = rec.fields[f] ?? null;
  if ((fields.includes('What_Id') || fields.includes('Parent_Id')) && rec.fields.$se_module !== undefined) out.$se_module = rec.fields.$se_module;
  out.id = rec.id;
  return out;
}

export const MAX_PER_PAGE = 200;
/** Page-number pagination reaches this many records; further pages need page_token. */
export const DISCRETE_LIMIT = 2000;

interface TokenState {
  offset: number;
  perPage: number;
  key: string;
  expires: number;
}

const TOKEN_TTL_MS = 24 * 3_600_000;

export function encodePageToken(state: Omit<TokenState, 'expires'>): string {
  return Buffer.from(JSON.stringify({ ...state, expires: Date.now() + TOKEN_TTL_MS })).toString('base64url');
}

export function decodePageToken(token: string, key: string): TokenState | undefined {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenState;
    if (typeof s.offset !== 'number' || s.key !== key || s.expires < Date.now()) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function sortRecords(rows: ZohoRecord[], sortBy: string, order: 'asc' | 'desc'): ZohoRecord[] {
  const value = (r: ZohoRecord) => (sortBy === 'id' ? BigInt(r.id) : String(r.fields[sortBy] ?? ''));
  const sorted = [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return va < vb ? -1 : va > vb ? 1 : 0;
  });
  return order === 'desc' ? sorted.reverse() : sorted;
}

export function parseFieldList(raw: unknown): string[] {
  return typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

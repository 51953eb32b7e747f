import { zohoError, type ZohoError } from './errors.js';
import type { ZohoModule } from './metadata.js';
import { minifiedUser, zohoTime, type ZohoRecord, type ZohoStore, type ZohoUser } from './state.js';
import { findDuplicate, normalizeRecord } from './validate.js';

/** One element of a bulk write's `data` answer. */
export type WriteResult =
  | ZohoError
  | { code: 'SUCCESS'; duplicate_field?: string | null; action?: 'insert' | 'update'; details: Record<string, unknown>; message: string; status: 'success' };

export type Operation = 'insert' | 'update' | 'delete';

export interface WriteContext {
  store: ZohoStore;
  user: ZohoUser;
  /** Tells subscribers of the module's notifications (one call per request, ids batched as Zoho does). */
  notify(mod: ZohoModule, operation: Operation, ids: string[], affected?: Record<string, string[]>[]): void;
}

const successDetails = (r: ZohoRecord) => ({
  Modified_Time: r.fields.Modified_Time,
  Modified_By: r.fields.Modified_By,
  Created_Time: r.fields.Created_Time,
  id: r.id,
  Created_By: r.fields.Created_By,
});

function duplicateError(mod: ZohoModule, index: number, dup: { field: string; record: ZohoRecord }): ZohoError {
  const owner = dup.record.fields.Owner as { name: string; id: string } | undefined;
  return zohoError('DUPLICATE_DATA', 'duplicate data', {
    api_name: dup.field,
    json_path: `$.data[${index}].${dup.field}`,
    duplicate_record: { id: dup.record.id, module: { api_name: mod.api_name, id: mod.id }, Owner: owner ? { name: owner.name, id: owner.id } : null },
  });
}

function insertOne(wc: WriteContext, mod: ZohoModule, input: unknown, index: number): WriteResult {
  const norm = normalizeRecord(wc.store, mod, input, index);
  if (!norm.ok) return norm.error;
  const dup = findDuplicate(wc.store, mod, norm.fields);
  if (dup) return duplicateError(mod, index, dup);
  const now = Date.now();
  const me = minifiedUser(wc.user);
  const rec = wc.store.table(mod).insert({
    id: wc.store.nextId(),
    module: mod.api_name,
    fields: { Owner: me, ...norm.fields, Created_Time: zohoTime(now), Modified_Time: zohoTime(now), Created_By: me, Modified_By: me },
  });
  return { code: 'SUCCESS', details: successDetails(rec), message: 'record added', status: 'success' };
}

function updateOne(wc: WriteContext, mod: ZohoModule, input: unknown, index: number, id: string): WriteResult & { changed?: string[] } {
  const table = wc.store.table(mod);
  const existing = table.get(id);
  if (!existing) return zohoError('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `$.data[${index}].id` });
  const norm = normalizeRecord(wc.store, mod, input, index, existing.fields);
  if (!norm.ok) return norm.error;
  const dup = findDuplicate(wc.store, mod, norm.fields, id);
  if (dup) return duplicateError(mod, index, dup);
  const changed = Object.keys(norm.fields).filter((k) => !k.startsWith('$') && k !== 'Full_Name' && JSON.stringify(existing.fields[k]) !== JSON.stringify(norm.fields[k]));
  const rec = table.update(id, {
    fields: { ...existing.fields, ...norm.fields, Modified_Time: zohoTime(Date.now()), Modified_By: minifiedUser(wc.user) },
  })!;
  return { code: 'SUCCESS', details: successDetails(rec), message: 'record updated', status: 'success', changed };
}

const idIn = (input: unknown): string | undefined => {
  const id = input && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};
const succeeded = (r: WriteResult) => r.status === 'success';
const idOf = (r: WriteResult) => (r.status === 'success' ? String(r.details.id) : '');

export function insertMany(wc: WriteContext, mod: ZohoModule, data: unknown[]): WriteResult[] {
  const results = data.map((d, i) => insertOne(wc, mod, d, i));
  const ids = results.filter(succeeded).map(idOf);
  if (ids.length) wc.notify(mod, 'insert', ids);
  return results;
}

/** PUT /{module} (ids in the records) and PUT /{module}/{id} (`pathId`). */
export function updateMany(wc: WriteContext, mod: ZohoModule, data: unknown[], pathId?: string): WriteResult[] {
  const affected: Record<string, string[]>[] = [];
  const results = data.map((d, i) => {
    const id = pathId ?? idIn(d);
    if (!id) return zohoError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `$.data[${i}].id` });
    const { changed, ...r } = updateOne(wc, mod, d, i, id) as WriteResult & { changed?: string[] };
    if (changed) affected.push({ [id]: changed });
    return r as WriteResult;
  });
  const ids = results.filter(succeeded).map(idOf);
  if (ids.length) wc.notify(mod, 'update', ids, affected);
  return results;
}

/** Upsert: update the first record matching any duplicate-check field, else insert. */
export function upsertMany(wc: WriteContext, mod: ZohoModule, data: unknown[], checkFields: string[]): WriteResult[] {
  const inserted: string[] = [];
  const updated: string[] = [];
  const affected: Record<string, string[]>[] = [];
  const results = data.map((d, i): WriteResult => {
    const body = d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
    let match: ZohoRecord | undefined;
    let field: string | undefined;
    for (const f of checkFields) {
      const v = body[f];
      if (v === undefined || v === null || v === '') continue;
      match = wc.store.table(mod).find((r) => String(r.fields[f] ?? '').toLowerCase() === String(v).toLowerCase());
      if (match) {
        field = f;
        break;
      }
    }
    if (match) {
      const { changed, ...r } = updateOne(wc, mod, d, i, match.id) as WriteResult & { changed?: string[] };
      if (r.status !== 'success') return r as WriteResult;
      updated.push(match.id);
      affected.push({ [match.id]: changed ?? [] });
      return { code: 'SUCCESS', duplicate_field: field, action: 'update', details: r.details, message: 'record updated', status: 'success' };
    }
    const r = insertOne(wc, mod, d, i);
    if (r.status !== 'success') return r;
    inserted.push(idOf(r));
    return { code: 'SUCCESS', duplicate_field: null, action: 'insert', details: r.details, message: 'record added', status: 'success' };
  });
  if (inserted.length) wc.notify(mod, 'insert', inserted);
  if (updated.length) wc.notify(mod, 'update', updated, affected);
  return results;
}

export function deleteMany(wc: WriteContext, mod: ZohoModule, ids: string[]): WriteResult[] {
  const table = wc.store.table(mod);
  const results = ids.map((id): WriteResult => {
    if (!table.delete(id)) return zohoError('INVALID_DATA', 'the id given seems to be invalid', { id });
    return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
  });
  const deleted = results.filter(succeeded).map(idOf);
  if (deleted.length) wc.notify(mod, 'delete', deleted);
  return results;
}

/** Zoho's HTTP status for a bulk write: all good, some good (207 Multi-Status), none good. */
export function bulkStatus(results: WriteResult[], okStatus: number): number {
  const ok = results.filter(succeeded).length;
  return ok === results.length ? okStatus : ok === 0 ? 400 : 207;
}

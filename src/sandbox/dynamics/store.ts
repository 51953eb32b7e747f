import { randomUUID } from 'node:crypto';
import { duplicateKey } from './errors.js';
import type { EntityDef } from './schema/index.js';

/** A lookup column's value: the referenced row and its table. */
export interface LookupValue {
  id: string;
  entity: string;
}
export type FieldValue = string | number | boolean | null | LookupValue;
export type Values = Record<string, FieldValue>;

export interface StoredRecord {
  id: string;
  entity: string;
  values: Values;
  version: number;
}

export type MessageName = 'Create' | 'Update' | 'Delete';

/** A committed change, for webhooks (sent only once the request or change set commits). */
export interface ChangeEvent {
  message: MessageName;
  entity: string;
  id: string;
  /** The columns the request set (the plug-in `Target`), with the platform's additions on create. */
  target: Values;
  userId: string;
}

export const isLookupValue = (v: FieldValue | undefined): v is LookupValue => typeof v === 'object' && v !== null;

/** Dataverse writes timestamps to the second, in UTC. */
export const nowStamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The rows of every table, with the platform's bookkeeping: audit stamps, owner,
 * state defaults, row versions (etags), computed names and alternate-key uniqueness.
 * Rows are replaced, never mutated, so a change set can roll back to a snapshot.
 */
export class RecordStore {
  private tables = new Map<string, Map<string, StoredRecord>>();
  private version = 1_450_000;
  events: ChangeEvent[] = [];

  rows(entity: string): StoredRecord[] {
    return [...this.table(entity).values()];
  }

  get(entity: string, id: string): StoredRecord | undefined {
    return this.table(entity).get(id.toLowerCase());
  }

  /** The row whose alternate-key columns equal `keyValues` (case-insensitively, as SQL collation compares). */
  findByKey(entity: string, keyValues: Values): StoredRecord | undefined {
    const entries = Object.entries(keyValues);
    return this.rows(entity).find((row) => entries.every(([k, v]) => sameValue(row.values[k], v)));
  }

  insert(def: EntityDef, values: Values, userId: string, id: string = randomUUID()): StoredRecord {
    const stamp = nowStamp();
    const user: LookupValue = { id: userId, entity: 'systemuser' };
    const row: StoredRecord = {
      id: id.toLowerCase(),
      entity: def.logicalName,
      version: ++this.version,
      values: { ...defaults(def, user), ...values, [def.primaryId]: id.toLowerCase(), createdon: stamp, modifiedon: stamp, createdby: user, modifiedby: user },
    };
    completeComputed(def, row.values, values);
    this.assertUniqueKeys(def, row);
    this.table(def.logicalName).set(row.id, row);
    this.events.push({ message: 'Create', entity: def.logicalName, id: row.id, target: { ...values, [def.primaryId]: row.id }, userId });
    return row;
  }

  update(def: EntityDef, id: string, changes: Values, userId: string): StoredRecord {
    const prior = this.get(def.logicalName, id);
    if (!prior) throw new Error(`update of a missing ${def.logicalName} row`);
    const next: StoredRecord = {
      ...prior,
      version: ++this.version,
      values: { ...prior.values, ...changes, modifiedon: nowStamp(), modifiedby: { id: userId, entity: 'systemuser' } },
    };
    completeComputed(def, next.values, changes);
    this.assertUniqueKeys(def, next);
    this.table(def.logicalName).set(next.id, next);
    this.events.push({ message: 'Update', entity: def.logicalName, id: next.id, target: { ...changes, [def.primaryId]: next.id }, userId });
    return next;
  }

  remove(def: EntityDef, id: string, userId: string): boolean {
    const deleted = this.table(def.logicalName).delete(id.toLowerCase());
    if (deleted) this.events.push({ message: 'Delete', entity: def.logicalName, id: id.toLowerCase(), target: {}, userId });
    return deleted;
  }

  /** Captures the current state; calling the result puts it back (a change set's rollback). */
  snapshot(): () => void {
    const tables = new Map([...this.tables].map(([name, rows]) => [name, new Map(rows)]));
    const events = this.events.length;
    return () => {
      this.tables = tables;
      this.events.length = events;
    };
  }

  /** Hands over the changes committed since the last call. */
  drainEvents(): ChangeEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  clear(): void {
    this.tables.clear();
    this.events = [];
  }

  dump(): Record<string, unknown[]> {
    return Object.fromEntries([...this.tables].map(([name, rows]) => [name, [...rows.values()].map((r) => ({ ...r.values, versionnumber: r.version }))]));
  }

  private assertUniqueKeys(def: EntityDef, row: StoredRecord): void {
    for (const key of def.keys) {
      const values = Object.fromEntries(key.attributes.map((a) => [a, row.values[a] ?? null]));
      if (Object.values(values).some((v) => v === null || v === '')) continue;
      const other = this.findByKey(def.logicalName, values);
      if (other && other.id !== row.id) throw duplicateKey();
    }
  }

  private table(entity: string): Map<string, StoredRecord> {
    let t = this.tables.get(entity);
    if (!t) this.tables.set(entity, (t = new Map()));
    return t;
  }
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (isLookupValue(a) && isLookupValue(b)) return a.id === b.id;
  return a === b;
}

function defaults(def: EntityDef, user: LookupValue): Values {
  const out: Values = {};
  for (const attr of def.attributes) {
    if (attr.type === 'Owner') out[attr.logicalName] = user;
    else if (attr.type === 'State') out[attr.logicalName] = 0;
    else if (attr.type === 'Status') out[attr.logicalName] = attr.options?.find((o) => o.state === 0)?.value ?? null;
    else if (attr.type === 'Boolean') out[attr.logicalName] = false;
    else out[attr.logicalName] = null;
  }
  if (def.isActivity) out.activitytypecode = def.logicalName;
  return out;
}

/** Columns the platform derives: full names, a note's object type, a status reason that follows its state. */
function completeComputed(def: EntityDef, values: Values, changes: Values): void {
  if ('firstname' in values && 'lastname' in values && 'fullname' in values) {
    values.fullname = [values.firstname, values.middlename, values.lastname].filter((p) => typeof p === 'string' && p).join(' ') || null;
  }
  if (def.logicalName === 'annotation') {
    const obj = values.objectid;
    values.objecttypecode = isLookupValue(obj) ? obj.entity : null;
  }
  if ('statecode' in changes && !('statuscode' in changes)) {
    const status = def.attributes.find((a) => a.type === 'Status');
    const fallback = status?.options?.find((o) => o.state === changes.statecode);
    if (fallback) values.statuscode = fallback.value;
  }
}

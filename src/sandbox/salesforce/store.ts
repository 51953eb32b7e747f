import { IdSequence, Table, type Stamped } from '../kit/table.js';
import { dmlError, type DmlError } from './errors.js';
import { keyPrefixOf, makeId, normalizeId } from './ids.js';
import { applyDefaults, derive } from './rules.js';
import { SOBJECTS, sobjectByKeyPrefix, type FieldDef, type SObjectDef } from './schema/index.js';
import { checkWrite, type Values } from './validate.js';
import { formatDateTime } from './values.js';

export interface StoredRecord extends Stamped {
  values: Values;
}

export type SaveResult = { ok: true; id: string; created: boolean } | { ok: false; id?: string; errors: DmlError[] };

/** A copy of every table, to roll back an all-or-none operation. */
export type Snapshot = Map<string, StoredRecord[]>;

/**
 * The org's records: one table per sObject, soft deletes (IsDeleted, visible to
 * queryAll, as the recycle bin), and the DML operations with Salesforce's checks.
 */
export class OrgStore {
  private readonly tables = new Map<string, Table<StoredRecord>>(SOBJECTS.map((o) => [o.name, new Table<StoredRecord>(o.name)]));
  private readonly sequences = new Map<string, IdSequence>(SOBJECTS.map((o) => [o.name, new IdSequence(1)]));

  table(object: SObjectDef): Table<StoredRecord> {
    return this.tables.get(object.name) as Table<StoredRecord>;
  }

  /** A record by 18-character id, deleted or not. */
  get(object: SObjectDef, id: string): StoredRecord | undefined {
    return this.table(object).get(id);
  }

  live(object: SObjectDef, id: string): StoredRecord | undefined {
    const row = this.get(object, id);
    return row && row.values.IsDeleted !== true ? row : undefined;
  }

  /** A live record of whatever object its key prefix names. */
  liveAnywhere(id: string): { object: SObjectDef; row: StoredRecord } | undefined {
    const object = sobjectByKeyPrefix(keyPrefixOf(id));
    const row = object && this.live(object, id);
    return object && row ? { object, row } : undefined;
  }

  rows(object: SObjectDef, includeDeleted = false): StoredRecord[] {
    const all = this.table(object).all();
    return includeDeleted ? all : all.filter((r) => r.values.IsDeleted !== true);
  }

  findByUnique(object: SObjectDef, field: FieldDef, value: string): string[] {
    const wanted = value.toLowerCase();
    return this.rows(object)
      .filter((r) => typeof r.values[field.name] === 'string' && (r.values[field.name] as string).toLowerCase() === wanted)
      .map((r) => r.id);
  }

  /** Inserts a record without the DML checks (seeding). */
  insertRaw(object: SObjectDef, values: Values, userId: string): StoredRecord {
    return this.insertBuilt(object, this.build(object, values, userId).values, userId);
  }

  create(object: SObjectDef, values: Values, userId: string): SaveResult {
    const errors = checkWrite(object, values, 'create', this.lookups());
    if (errors.length > 0) return { ok: false, errors };
    const built = this.build(object, normalizeReferences(object, values), userId);
    if (built.errors.length > 0) return { ok: false, errors: built.errors };
    return { ok: true, id: this.insertBuilt(object, built.values, userId).id, created: true };
  }

  /** The full record a create would store: defaults, owner, derived fields. */
  private build(object: SObjectDef, values: Values, userId: string): { values: Values; errors: DmlError[] } {
    const next: Values = { ...values };
    applyDefaults(object, next);
    if (object.fields.some((f) => f.name === 'OwnerId') && !next.OwnerId) next.OwnerId = userId;
    return { values: next, errors: derive(object, next, values) };
  }

  private insertBuilt(object: SObjectDef, values: Values, userId: string): StoredRecord {
    const id = makeId(object.keyPrefix, (this.sequences.get(object.name) as IdSequence).take());
    const now = Date.now();
    const full = { ...values, ...audit(now, userId), Id: id, IsDeleted: false, CreatedDate: formatDateTime(now), CreatedById: userId };
    return this.table(object).insert({ id, values: full });
  }

  update(object: SObjectDef, id: string, values: Values, userId: string): SaveResult {
    const row = this.get(object, id);
    if (!row) return { ok: false, id, errors: [dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')] };
    if (row.values.IsDeleted === true) return { ok: false, id, errors: [dmlError('ENTITY_IS_DELETED', 'entity is deleted')] };
    const errors = checkWrite(object, values, 'update', this.lookups(), id);
    if (errors.length > 0) return { ok: false, id, errors };
    const changed = normalizeReferences(object, values);
    delete changed.Id;
    const next: Values = { ...row.values, ...changed };
    const derived = derive(object, next, changed);
    if (derived.length > 0) return { ok: false, id, errors: derived };
    this.table(object).update(id, { values: { ...next, ...audit(Date.now(), userId) } });
    return { ok: true, id, created: false };
  }

  /** Upsert by an external id field (or Id): update the single match, create when none, refuse several. */
  upsert(object: SObjectDef, key: FieldDef, value: string, values: Values, userId: string): SaveResult {
    const matches = key.name === 'Id' ? (this.live(object, value) ? [value] : []) : this.findByUnique(object, key, value);
    if (matches.length > 1) {
      return { ok: false, errors: [dmlError('DUPLICATE_EXTERNAL_ID', `${key.label}: more than one record found for external id field: ${matches.join(', ')}`, [key.name])] };
    }
    const match = matches[0];
    if (match) return this.update(object, match, values, userId);
    if (key.name === 'Id') return { ok: false, errors: [dmlError('NOT_FOUND', 'Provided external ID field does not exist or is not accessible: ' + value)] };
    return this.create(object, { ...values, [key.name]: value }, userId);
  }

  delete(object: SObjectDef, id: string, userId: string): SaveResult {
    const row = this.get(object, id);
    if (!row) return { ok: false, id, errors: [dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')] };
    if (row.values.IsDeleted === true) return { ok: false, id, errors: [dmlError('ENTITY_IS_DELETED', 'entity is deleted')] };
    this.table(object).update(id, { values: { ...row.values, IsDeleted: true, ...audit(Date.now(), userId) } });
    return { ok: true, id, created: false };
  }

  snapshot(): Snapshot {
    return new Map([...this.tables].map(([name, table]) => [name, table.all()]));
  }

  restore(snapshot: Snapshot): void {
    for (const [name, rows] of snapshot) {
      const table = this.tables.get(name) as Table<StoredRecord>;
      table.clear();
      for (const row of rows) table.insert(row);
    }
  }

  clear(): void {
    for (const table of this.tables.values()) table.clear();
    for (const seq of this.sequences.values()) seq.reset();
  }

  private lookups() {
    return {
      record: (object: SObjectDef, id: string) => this.live(object, id)?.values,
      unique: (object: SObjectDef, field: FieldDef, value: string) => this.findByUnique(object, field, value),
    };
  }
}

function audit(now: number, userId: string): Values {
  return { LastModifiedDate: formatDateTime(now), SystemModstamp: formatDateTime(now), LastModifiedById: userId };
}

/** Stores reference ids in their 18-character form, whatever the caller sent. */
function normalizeReferences(object: SObjectDef, values: Values): Values {
  const out: Values = { ...values };
  for (const field of object.fields) {
    const v = out[field.name];
    if (field.type === 'reference' && typeof v === 'string') out[field.name] = normalizeId(v) ?? v;
  }
  return out;
}


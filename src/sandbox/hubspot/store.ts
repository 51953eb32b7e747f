import { IdSequence, Table, type Stamped } from '../kit/table.js';
import { OBJECT_TYPES, type ObjectType } from './objects.js';

export interface CrmRecord extends Stamped {
  properties: Record<string, string>;
  archived: boolean;
  archivedAt?: number;
}

/** What search sees of a record: a version becomes visible `searchLagMs` after it was written. */
interface IndexedVersion {
  visibleFrom: number;
  /** undefined once the record was archived. */
  properties?: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface SearchableRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/**
 * Records of every object type, one id sequence for the portal (so a contact id
 * never names a deal), and the lagging search index HubSpot's search reads from.
 */
export class RecordStore {
  private readonly tables = new Map<ObjectType, Table<CrmRecord>>(OBJECT_TYPES.map((t) => [t, new Table<CrmRecord>(t)]));
  private readonly index = new Map<string, IndexedVersion[]>();
  private readonly ids = new IdSequence(51_000_001);

  table(type: ObjectType): Table<CrmRecord> {
    const t = this.tables.get(type);
    if (!t) throw new Error(`no table for ${type}`);
    return t;
  }

  nextId(): string {
    return String(this.ids.take());
  }

  /** A live (not archived) record. */
  get(type: ObjectType, id: string): CrmRecord | undefined {
    const row = this.table(type).get(id);
    return row && !row.archived ? row : undefined;
  }

  insert(type: ObjectType, id: string, properties: Record<string, string>, now: number, lagMs: number): CrmRecord {
    const row = this.table(type).insert({ id, properties, archived: false, createdAt: now, updatedAt: now });
    this.indexVersion(type, row, now + lagMs);
    return row;
  }

  replace(type: ObjectType, id: string, properties: Record<string, string>, now: number, lagMs: number): CrmRecord | undefined {
    const row = this.table(type).update(id, { properties, updatedAt: now });
    if (row) this.indexVersion(type, row, now + lagMs);
    return row;
  }

  archive(type: ObjectType, id: string, now: number, lagMs: number): boolean {
    const row = this.table(type).update(id, { archived: true, archivedAt: now });
    if (!row) return false;
    this.versions(type, id).push({ visibleFrom: now + lagMs, createdAt: row.createdAt, updatedAt: now });
    return true;
  }

  /** The records as search sees them at `now`: each in its latest version already indexed. */
  searchable(type: ObjectType, now: number): SearchableRecord[] {
    const out: SearchableRecord[] = [];
    for (const row of this.table(type).all()) {
      const versions = this.versions(type, row.id);
      let visible: IndexedVersion | undefined;
      for (const v of versions) if (v.visibleFrom <= now) visible = v;
      if (visible) versions.splice(0, versions.indexOf(visible)); // older versions can never be seen again
      if (visible?.properties) out.push({ id: row.id, properties: visible.properties, createdAt: visible.createdAt, updatedAt: visible.updatedAt });
    }
    return out;
  }

  all(type: ObjectType): CrmRecord[] {
    return this.table(type).all();
  }

  clear(): void {
    for (const t of this.tables.values()) t.clear();
    this.index.clear();
    this.ids.reset();
  }

  private indexVersion(type: ObjectType, row: CrmRecord, visibleFrom: number): void {
    this.versions(type, row.id).push({ visibleFrom, properties: { ...row.properties }, createdAt: row.createdAt, updatedAt: row.updatedAt });
  }

  private versions(type: ObjectType, id: string): IndexedVersion[] {
    const key = `${type}:${id}`;
    let v = this.index.get(key);
    if (!v) this.index.set(key, (v = []));
    return v;
  }
}

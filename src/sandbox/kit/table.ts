/** An in-memory table of one fake CRM object, keyed by the vendor's id. */
export interface Stamped {
  id: string;
  /** Epoch ms, set by the table. */
  createdAt: number;
  updatedAt: number;
}

export class Table<T extends Stamped> {
  private readonly rows = new Map<string, T>();

  constructor(readonly name: string) {}

  insert(row: Omit<T, 'createdAt' | 'updatedAt'> & Partial<Pick<T, 'createdAt' | 'updatedAt'>>): T {
    const now = Date.now();
    const full = { createdAt: now, updatedAt: now, ...row } as T;
    this.rows.set(full.id, full);
    return full;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  /** Shallow-merges `patch` into the row; returns undefined when there is no such row. */
  update(id: string, patch: Partial<T>): T | undefined {
    const row = this.rows.get(id);
    if (!row) return undefined;
    const next = { ...row, ...patch, id: row.id, createdAt: row.createdAt, updatedAt: Date.now() };
    this.rows.set(id, next);
    return next;
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }

  /** Rows in insertion order, which is also id order for the sequential ids the fakes hand out. */
  all(): T[] {
    return [...this.rows.values()];
  }

  find(predicate: (row: T) => boolean): T | undefined {
    for (const row of this.rows.values()) if (predicate(row)) return row;
    return undefined;
  }

  filter(predicate: (row: T) => boolean): T[] {
    return this.all().filter(predicate);
  }

  get size(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }
}

/** Sequential ids, formatted the way a vendor shows them. */
export class IdSequence {
  private next: number;
  constructor(private readonly start = 1) {
    this.next = start;
  }
  take(): number {
    return this.next++;
  }
  reset(): void {
    this.next = this.start;
  }
}

import { findModel, MODELS, type OdooModel } from './models.js';
import { SEED } from './seed.js';

/** One record as stored: raw column values (many2one as an id or false, many2many as ids). */
export type Row = Record<string, unknown> & { id: number };

/** Odoo's datetime format: UTC, no zone, seconds. */
export const odooDatetime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The database: one table per model, ids per model, seeded on reset. */
export class OdooStore {
  private tables = new Map<string, Map<number, Row>>();
  private nextIds = new Map<string, number>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.tables = new Map(MODELS.map((m) => [m.name, new Map<number, Row>()]));
    this.nextIds = new Map(MODELS.map((m) => [m.name, 100]));
    const now = odooDatetime(Date.now());
    for (const [model, rows] of Object.entries(SEED)) {
      for (const r of rows) this.table(model).set(r.id, { create_date: now, write_date: now, create_uid: 1, write_uid: 1, ...r });
    }
    MODELS.forEach((m, i) => this.table('ir.model').set(i + 1, { id: i + 1, name: m.description, model: m.name, create_date: now, write_date: now, create_uid: 1, write_uid: 1 }));
  }

  table(model: string): Map<number, Row> {
    const t = this.tables.get(model);
    if (!t) throw new Error(`no table ${model}`);
    return t;
  }

  rows(model: string): Row[] {
    return [...this.table(model).values()];
  }

  insert(model: string, values: Record<string, unknown>): Row {
    const id = this.nextIds.get(model)!;
    this.nextIds.set(model, id + 1);
    const row = { ...values, id };
    this.table(model).set(id, row);
    return row;
  }

  /** The display name Odoo shows for a record: its rec_name, with the parent company for contacts. */
  displayName(model: string, id: number): string | false {
    const row = this.table(model).get(id);
    const m = findModel(model);
    if (!row || !m) return false;
    if (model === 'res.partner') return partnerName(this, row);
    if (model === 'mail.activity') return String(row.summary || this.displayName('mail.activity.type', Number(row.activity_type_id)) || '');
    if (model === 'mail.message') return String(row.record_name || row.subject || '');
    return String(row[m.recName] ?? '');
  }

  /** A field's value as read/search_read return it. */
  format(m: OdooModel, row: Row, field: string): unknown {
    if (field === 'id') return row.id;
    if (field === 'display_name') return this.displayName(m.name, row.id);
    if (field === 'complete_name' && m.name === 'res.partner') return partnerName(this, row);
    const def = m.fields[field];
    const raw = row[field];
    if (!def) return undefined;
    switch (def.type) {
      case 'many2one': {
        if (typeof raw !== 'number') return false;
        const name = this.displayName(def.relation!, raw);
        return name === false ? false : [raw, name];
      }
      case 'one2many':
        return this.rows(def.relation!).filter((r) => r[def.inverse!] === row.id).map((r) => r.id);
      case 'many2many':
        return Array.isArray(raw) ? raw : [];
      case 'boolean':
        return raw === true;
      case 'integer':
      case 'float':
      case 'many2one_reference':
        return typeof raw === 'number' ? raw : 0;
      default:
        return raw === undefined || raw === null || raw === '' ? false : raw;
    }
  }

  dump(): Record<string, unknown[]> {
    return Object.fromEntries([...this.tables].map(([name, t]) => [name, [...t.values()]]));
  }
}

function partnerName(store: OdooStore, row: Row): string {
  const own = String(row.name ?? '');
  if (typeof row.parent_id === 'number' && !row.is_company) {
    const parent = store.table('res.partner').get(row.parent_id);
    if (parent?.name) return own ? `${String(parent.name)}, ${own}` : String(parent.name);
  }
  return own;
}

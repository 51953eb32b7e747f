import { IdSequence, Table, type Stamped } from '../kit/table.js';
import { MODULES, type ZohoModule } from './metadata.js';

/** A record as stored: field api names to values, lookups already in Zoho's output shape. */
export interface ZohoRecord extends Stamped {
  module: string;
  fields: Record<string, unknown>;
}

export interface ZohoUser {
  id: string;
  zuid: string;
  first_name: string;
  last_name: string;
  email: string;
  role: string;
  profile: string;
}

export const ORG_ID = '60045000001';
export const USERS: ZohoUser[] = [
  { id: '6045000000100001', zuid: '80045001', first_name: 'Ada', last_name: 'Admin', email: 'admin@sandbox.crm-sync.test', role: 'CEO', profile: 'Administrator' },
  { id: '6045000000100002', zuid: '80045002', first_name: 'Sam', last_name: 'Seller', email: 'sam.seller@sandbox.crm-sync.test', role: 'Manager', profile: 'Standard' },
  { id: '6045000000100003', zuid: '80045003', first_name: 'Rita', last_name: 'Rep', email: 'rita.rep@sandbox.crm-sync.test', role: 'Manager', profile: 'Standard' },
];
export const fullName = (u: ZohoUser) => `${u.first_name} ${u.last_name}`;
export const minifiedUser = (u: ZohoUser) => ({ name: fullName(u), id: u.id, email: u.email });

/** Zoho's timestamps: ISO 8601 with an explicit offset and no milliseconds. */
export function zohoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The org's records, one table per module, with Zoho-looking 19-digit ids. */
export class ZohoStore {
  private readonly tables = new Map<string, Table<ZohoRecord>>();
  private readonly ids = new IdSequence(1);

  constructor() {
    for (const m of MODULES) this.tables.set(m.api_name, new Table<ZohoRecord>(m.api_name));
  }

  table(mod: ZohoModule): Table<ZohoRecord> {
    const table = this.tables.get(mod.api_name);
    if (!table) throw new Error(`no table for ${mod.api_name}`);
    return table;
  }

  nextId(): string {
    return (6045000000000000000n + 2_000_000n + BigInt(this.ids.take())).toString();
  }

  /** Finds a record in any module (lookups to What_Id / Parent_Id name their module separately). */
  find(moduleName: string, id: string): ZohoRecord | undefined {
    return this.tables.get(moduleName)?.get(id);
  }

  dump(): Record<string, unknown[]> {
    return Object.fromEntries([...this.tables].map(([name, t]) => [name, t.all().map((r) => ({ id: r.id, ...r.fields }))]));
  }

  reset(): void {
    for (const t of this.tables.values()) t.clear();
    this.ids.reset();
  }
}

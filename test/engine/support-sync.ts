import type { CrmId } from '../../src/domain/crm.js';
import type { Sandbox } from '../../src/sandbox/runtime.js';
import type { Store } from '../../src/store/store.js';

/** A record as the sandbox dumps it: its fields flat on it (HubSpot's `id`, Salesforce's `Id`). */
export type Row = Record<string, unknown>;

/** One object of a fake CRM, read in process (a dump of 5,000 records over HTTP is slow for a poll). */
export function crmRows(sandbox: Sandbox, crm: CrmId, object: string): Row[] {
  return ((sandbox.crm(crm).dump()[object] ?? []) as Row[]).filter((r) => r.archived !== true && r.IsDeleted !== true);
}

/** Where each CRM keeps a client: HubSpot contacts keyed by crm_sync_client_id, Salesforce Leads by CrmSync_Id__c. */
export const CLIENT_RECORDS = {
  hubspot: { object: 'contacts', clientId: 'crm_sync_client_id' },
  salesforce: { object: 'Lead', clientId: 'CrmSync_Id__c' },
} as const satisfies Partial<Record<CrmId, { object: string; clientId: string }>>;

export type SyncedCrm = keyof typeof CLIENT_RECORDS;

/** The API's view of connecting to a fake CRM that runs at `baseUrl`. */
export function connectionBody(crm: SyncedCrm, account: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
  const credentials = account.credentials as Record<string, string>;
  if (crm === 'hubspot') return { crm, auth: { method: 'api_key', apiKey: credentials.privateAppToken }, baseUrl };
  return { crm, auth: { method: 'service', clientId: credentials.clientId, clientSecret: credentials.clientSecret, instanceUrl: baseUrl }, baseUrl };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** How far the connection's sync items are from done: items with a newer version to write, and items not ending `synced`. */
export async function backlog(store: Store, connectionId: string): Promise<{ items: number; unsynced: number; notSynced: { entity_id: string; state: string; last_error: string | null }[] }> {
  const rows = await store.db.selectFrom('sync_items').select(['entity_id', 'state', 'pending_version', 'synced_version', 'last_error']).where('connection_id', '=', connectionId).execute();
  const notSynced = rows.filter((r) => r.state !== 'synced' || Number(r.pending_version) > Number(r.synced_version));
  return { items: rows.length, unsynced: notSynced.length, notSynced: notSynced.slice(0, 5) };
}

/** Whether `values` holds each of `expected` exactly once and nothing else. */
export function duplicatesAndMissing(values: unknown[], expected: string[]): { duplicates: string[]; missing: string[]; unexpected: string[] } {
  const seen = new Map<string, number>();
  for (const v of values) seen.set(String(v), (seen.get(String(v)) ?? 0) + 1);
  const want = new Set(expected);
  return {
    duplicates: [...seen].filter(([, n]) => n > 1).map(([v]) => v),
    missing: expected.filter((v) => !seen.has(v)),
    unexpected: [...seen.keys()].filter((v) => !want.has(v)),
  };
}

/** A CRM's own REST API on the sandbox, as a salesperson's tools would use it. */
export function vendorApi(base: string, token: string): (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }> {
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
}

import { z } from 'zod';
import { ConnectionSettings } from '../domain/connection-settings.js';
import { CRM_IDS } from '../domain/crm.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson } from '../store/store.js';

/** A connection as the API shows it: everything but the credentials, which never leave the vault. */
export const ConnectionView = z.object({
  id: z.string(),
  crm: z.enum(CRM_IDS),
  status: z.enum(['connected', 'needs_reconnect', 'error', 'disconnected']),
  authMethod: z.enum(['oauth', 'api_key', 'service']),
  target: z.object({
    baseUrl: z.string().optional(),
    region: z.string().optional(),
    tenantId: z.string().optional(),
    instanceUrl: z.string().optional(),
    apiUrl: z.string().optional(),
    api: z.enum(['auto', 'json2', 'jsonrpc']).optional(),
    odoo: z.object({ protocol: z.enum(['json2', 'jsonrpc']), uid: z.number(), version: z.string().optional() }).optional(),
  }),
  account: z.string().nullable(),
  settings: ConnectionSettings,
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  connectedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionView = z.infer<typeof ConnectionView>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function connectionView(row: ConnectionTable): ConnectionView {
  return {
    id: row.id,
    crm: row.crm as ConnectionView['crm'],
    status: row.status,
    authMethod: row.auth_method,
    target: readJson(row.target),
    account: row.account_label,
    settings: ConnectionSettings.parse(readJson(row.settings)),
    lastError: row.last_error,
    lastErrorAt: iso(row.last_error_at),
    lastCheckedAt: iso(row.last_checked_at),
    connectedBy: row.connected_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

import { revokeToken } from '../connectors/http/oauth-revoke.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { connectionFacts } from '../connectors/registry.js';
import type { ConnectionTarget, Credentials, OAuthApp } from '../connectors/types.js';
import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import type { ConnectionTable } from '../store/schema.js';
import type { NewSyncLog } from '../store/sync-logs.js';
import { readJson } from '../store/store.js';

export interface RevocationDeps {
  http: CrmHttp;
  oauthApp(crm: CrmId, target: ConnectionTarget): Promise<OAuthApp | undefined>;
}

/**
 * At disconnect, revokes an OAuth connection's refresh token at the vendor, so the grant stops
 * working there too and not only in crm-sync's vault. Best effort: it never throws, and returns
 * the sync-log entry that says what happened (revoked, nothing the vendor offers, or failed and
 * why). API keys and app registrations are the admin's to delete, so nothing is said for them.
 */
export async function revokeAtVendor(deps: RevocationDeps, row: ConnectionTable, credentials: Credentials): Promise<NewSyncLog | undefined> {
  if (credentials.method !== 'oauth') return undefined;
  const crm = row.crm as CrmId;
  const name = CRM_NAMES[crm] ?? row.crm;
  const oauth = connectionFacts(crm).oauth;
  const entry = (status: NewSyncLog['status'], message: string, action: string | null): NewSyncLog => ({
    workspace_id: row.workspace_id,
    connection_id: row.id,
    crm: row.crm,
    direction: 'outbound',
    operation: 'revoke_token',
    entity_type: null,
    entity_id: null,
    client_id: null,
    status,
    crm_record_id: null,
    attempts: 1,
    message,
    action,
  });
  if (!oauth) return undefined;
  if ('none' in oauth.revocation) return entry('skipped', `Disconnected. ${oauth.revocation.none} Nothing in ${name} was deleted.`, null);
  // Revoking the refresh token ends the grant; without one, the access token is all there is.
  const token = credentials.refreshToken ?? credentials.accessToken;
  const kind = credentials.refreshToken ? 'refresh token' : 'access token';
  const manual = `Remove crm-sync's access in ${name}'s settings (connected or installed apps) to be sure it is cut.`;
  try {
    const target = readJson<ConnectionTarget>(row.target);
    const revokeUrl = oauth.endpoints(target).revokeUrl;
    const app = await deps.oauthApp(crm, target);
    if (!revokeUrl || !app) throw new Error(`no ${revokeUrl ? 'OAuth app is configured' : 'revocation address is known'}`);
    await revokeToken(deps.http, { style: oauth.revocation.style, revokeUrl, clientAuth: oauth.clientAuth, clientId: app.clientId, clientSecret: app.clientSecret, token });
    return entry('success', `Disconnected. ${name} revoked the ${kind}; nothing in ${name} was deleted.`, null);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return entry('failed', `Disconnected, but ${name} did not revoke the ${kind}: ${reason}. crm-sync no longer holds it; nothing in ${name} was deleted.`, manual);
  }
}

import { describe, expect, it } from 'vitest';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { requestToken } from '../../src/connectors/http/oauth-token.js';
import { connectionFacts } from '../../src/connectors/registry.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import type { CrmId } from '../../src/domain/crm.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { Harness } from './support-harness.js';

type Case = { crm: CrmId; revokes: boolean; message: RegExp };

const CASES: Case[] = [
  { crm: 'hubspot', revokes: true, message: /HubSpot revoked the refresh token/ },
  { crm: 'salesforce', revokes: true, message: /Salesforce revoked the refresh token/ },
  { crm: 'pipedrive', revokes: true, message: /Pipedrive revoked the refresh token/ },
  { crm: 'zoho', revokes: true, message: /Zoho CRM revoked the refresh token/ },
  { crm: 'dynamics', revokes: false, message: /Azure AD offers no revocation; remove the app's consent in Entra ID to cut access/ },
];

/**
 * Disconnecting an OAuth connection revokes its tokens at the vendor where the vendor can, says
 * what happened in the sync log, and deletes nothing in the CRM.
 */
describe.each(TEST_DIALECTS)('disconnect revokes OAuth tokens on %s', (dialect) => {
  const h = Harness.start(dialect);
  const base = (crm: CrmId) => h.s.sandboxUrl(crm);
  const records = async (crm: CrmId) => (await (await fetch(`${h.s.origin}/sandbox/__control/records?crm=${crm}`)).json()) as Record<string, unknown>;
  const query = async (crm: CrmId): Promise<Record<string, string>> => {
    if (crm !== 'dynamics') return { baseUrl: base(crm) };
    const { tenantId } = (await h.s.account('dynamics')).credentials;
    return { baseUrl: base(crm), tenantId: tenantId!, instanceUrl: base(crm) };
  };
  /** Asks the fake vendor for a new access token with a refresh token, as crm-sync would. */
  const refreshWorks = async (crm: CrmId, target: ConnectionTarget, refreshToken: string): Promise<boolean> => {
    const oauth = connectionFacts(crm).oauth!;
    const app = (await h.s.account(crm)).oauth!;
    try {
      await requestToken(createCrmHttp(), {
        crmName: crm,
        tokenUrl: oauth.endpoints(target).tokenUrl,
        clientAuth: oauth.clientAuth,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        params: { grant_type: 'refresh_token', refresh_token: refreshToken },
      });
      return true;
    } catch {
      return false;
    }
  };
  /** Whether the fake's API still accepts an access token (the connector's Test Connection call). */
  const apiAccepts = async (crm: CrmId, target: ConnectionTarget, credentials: Credentials): Promise<boolean> =>
    connectionFacts(crm)
      .check({ http: createCrmHttp(), target, credentials })
      .then(() => true)
      .catch(() => false);
  const revokeLogs = (id: string) =>
    h.s.t.store.db.selectFrom('sync_logs').selectAll().where('connection_id', '=', id).where('operation', '=', 'revoke_token').execute();

  it.each(CASES)('$crm: disconnect, then the fake refuses the refresh token and the sync log says so', async ({ crm, revokes, message }) => {
    const view = await h.connectOAuth(crm, await query(crm));
    const creds = await h.credentials(view.id);
    if (creds.method !== 'oauth' || !creds.refreshToken) throw new Error('expected OAuth credentials with a refresh token');
    const target = (await h.s.t.store.db.selectFrom('connections').select('target').where('id', '=', view.id).executeTakeFirstOrThrow()).target;
    const stored = (typeof target === 'string' ? JSON.parse(target) : target) as ConnectionTarget;
    const before = await records(crm);
    expect(await apiAccepts(crm, stored, creds)).toBe(true);

    await h.disconnect(view.id);

    // Where the vendor cannot revoke (Azure AD), the refresh token still works: the control case.
    expect(await refreshWorks(crm, stored, creds.refreshToken)).toBe(!revokes);
    // Revoking the refresh token also ends the access tokens issued with it.
    expect(await apiAccepts(crm, stored, creds)).toBe(!revokes);
    const logs = await revokeLogs(view.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ crm, status: revokes ? 'success' : 'skipped' });
    expect(logs[0]!.message).toMatch(message);
    expect(await records(crm)).toEqual(before);
  });

  it('a vendor that cannot be reached does not block the disconnect; the sync log says revocation failed and why', async () => {
    const view = await h.connectOAuth('pipedrive', await query('pipedrive'));
    // The next request to the fake Pipedrive (the revocation) answers 503.
    const res = await fetch(`${h.s.origin}/sandbox/__control/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crm: 'pipedrive', failNext: 1 }),
    });
    await h.disconnect(view.id);
    expect(res.status).toBe(200);
    const logs = await revokeLogs(view.id);
    expect(logs.at(-1)).toMatchObject({ crm: 'pipedrive', status: 'failed' });
    expect(logs.at(-1)!.message).toMatch(/^Disconnected, but Pipedrive did not revoke the refresh token: HTTP 503/);
    expect(logs.at(-1)!.action).toMatch(/Remove crm-sync's access in Pipedrive/);
  });

  it('a vendor that does not answer holds the disconnect back only for the short revocation timeout', async () => {
    const view = await h.connectOAuth('pipedrive', await query('pipedrive'));
    const settings = (latencyMs: number) =>
      fetch(`${h.s.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'pipedrive', latencyMs }) });
    await settings(6_500);
    const started = Date.now();
    try {
      await h.disconnect(view.id);
    } finally {
      await settings(0);
    }
    expect(Date.now() - started).toBeLessThan(6_000);
    const logs = await revokeLogs(view.id);
    expect(logs.at(-1)).toMatchObject({ crm: 'pipedrive', status: 'failed' });
    expect(logs.at(-1)!.message).toMatch(/Pipedrive did not revoke the refresh token: /);
  }, 15_000);
});

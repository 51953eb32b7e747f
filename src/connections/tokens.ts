import { randomBytes } from 'node:crypto';
import type { Vault } from '../auth/vault.js';
import { CrmError } from '../connectors/errors.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { requestToken } from '../connectors/http/oauth-token.js';
import { connectionFacts } from '../connectors/registry.js';
import type { ConnectionTarget, Credentials, OAuthApp } from '../connectors/types.js';
import type { CrmId } from '../domain/crm.js';
import { CRM_NAMES } from '../domain/crm.js';
import { findConnectionById, releaseRefreshLease, takeRefreshLease, updateConnection } from '../store/connections.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, type Store } from '../store/store.js';
import { markNeedsReconnect } from './status.js';

/** Refresh this long before expiry, so a call never starts with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;
const LEASE_TTL_MS = 30_000;
const LEASE_POLL_MS = 50;

export interface TokenDeps {
  store: Store;
  vault: Vault;
  http: CrmHttp;
  oauthApp(crm: CrmId, target: ConnectionTarget): Promise<OAuthApp | undefined>;
}

/**
 * Hands out usable credentials for a connection. A token that is expiring (or that the CRM
 * just refused) is refreshed once: callers in this process share one refresh, and processes
 * share a lease on the connection row, re-reading the credentials after taking it, so fifty
 * callers in two processes cause one token request. A refused grant marks the connection
 * needs_reconnect, which stops every later attempt until an admin reconnects.
 */
export class AccessTokens {
  private readonly inflight = new Map<string, Promise<Credentials>>();
  private readonly owner = `proc-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(private readonly deps: TokenDeps) {}

  /** Credentials for a call; `rejected` is the access token the CRM just refused with a 401. */
  async credentials(connectionId: string, rejected?: string): Promise<Credentials> {
    const row = await this.load(connectionId);
    const creds = this.open(row);
    if (!this.isStale(row, creds, rejected)) return creds;
    let shared = this.inflight.get(connectionId);
    if (!shared) {
      shared = this.refreshUnderLease(connectionId, rejected).finally(() => this.inflight.delete(connectionId));
      this.inflight.set(connectionId, shared);
    }
    return shared;
  }

  private async load(id: string): Promise<ConnectionTable> {
    const row = await findConnectionById(this.deps.store.db, id);
    if (!row || row.status === 'disconnected' || !row.credentials) throw new CrmError('auth', 'This connection is disconnected; connect the CRM again.');
    if (row.status === 'needs_reconnect') {
      throw new CrmError('auth', `${CRM_NAMES[row.crm as CrmId]} needs to be reconnected: ${row.last_error ?? 'its authorization was revoked or expired'}`);
    }
    return row;
  }

  private open(row: ConnectionTable): Credentials {
    return this.deps.vault.openJson<Credentials>(row.credentials!, row.id);
  }

  private isStale(row: ConnectionTable, creds: Credentials, rejected: string | undefined): boolean {
    if (creds.method === 'api_key') return false;
    if (rejected !== undefined && creds.accessToken === rejected) return true;
    if (creds.method === 'service' && !creds.accessToken) return true;
    return row.token_expires_at !== null && row.token_expires_at - REFRESH_MARGIN_MS <= Date.now();
  }

  private async refreshUnderLease(id: string, rejected: string | undefined): Promise<Credentials> {
    const { store } = this.deps;
    const deadline = Date.now() + LEASE_TTL_MS * 2;
    while (Date.now() < deadline) {
      if (await takeRefreshLease(store.db, id, this.owner, Date.now(), LEASE_TTL_MS)) {
        try {
          // Another process may have refreshed while we waited for the lease.
          const row = await this.load(id);
          const creds = this.open(row);
          if (!this.isStale(row, creds, rejected)) return creds;
          return await this.refresh(row, creds);
        } finally {
          await releaseRefreshLease(store.db, id, this.owner);
        }
      }
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      const row = await this.load(id);
      const creds = this.open(row);
      if (!row.refresh_lease_owner && !this.isStale(row, creds, rejected)) return creds;
    }
    throw new CrmError('unavailable', 'Another crm-sync process is refreshing this connection and has not finished; crm-sync will retry.');
  }

  private async refresh(row: ConnectionTable, creds: Credentials): Promise<Credentials> {
    const crm = row.crm as CrmId;
    const facts = connectionFacts(crm);
    const target = readJson<ConnectionTarget>(row.target);
    const now = Date.now();
    let next: Exclude<Credentials, { method: 'api_key' }>;
    try {
      if (creds.method === 'service') {
        if (!facts.serviceToken) throw new CrmError('auth', `${CRM_NAMES[crm]} has no service-to-service method.`);
        const t = await facts.serviceToken({ http: this.deps.http, target, clientId: creds.clientId, clientSecret: creds.clientSecret });
        next = { ...creds, accessToken: t.accessToken, expiresAt: t.expiresAt };
      } else if (creds.method === 'oauth') {
        if (!creds.refreshToken) throw new CrmError('auth', `${CRM_NAMES[crm]} gave no refresh token; reconnect to grant offline access.`);
        const app = await this.deps.oauthApp(crm, target);
        if (!facts.oauth || !app) throw new CrmError('auth', `No OAuth app is configured for ${CRM_NAMES[crm]}.`);
        const body = await requestToken(this.deps.http, {
          crmName: CRM_NAMES[crm],
          tokenUrl: facts.oauth.endpoints(target).tokenUrl,
          clientAuth: facts.oauth.clientAuth,
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          params: { grant_type: 'refresh_token', refresh_token: creds.refreshToken },
        });
        const read = facts.oauth.readTokenResponse(body, now);
        // Vendors that rotate send a new refresh token; keep the old one when they do not.
        next = { method: 'oauth', accessToken: read.tokens.accessToken, refreshToken: read.tokens.refreshToken ?? creds.refreshToken, expiresAt: read.tokens.expiresAt };
      } else {
        return creds;
      }
    } catch (err) {
      if (err instanceof CrmError && err.kind === 'auth') await markNeedsReconnect(this.deps.store, row, err.message);
      throw err;
    }
    // Credentials and expiry change in one statement: a reader sees the old pair or the new.
    await updateConnection(this.deps.store.db, row.id, {
      credentials: this.deps.vault.sealJson(next, row.id),
      token_expires_at: next.expiresAt ?? null,
      updated_at: now,
    });
    return next;
  }
}

import type { Vault } from '../auth/vault.js';
import { CrmError } from '../connectors/errors.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { connectionFacts } from '../connectors/registry.js';
import type { AuthMethod, ConnectionTarget, Credentials, OAuthApp } from '../connectors/types.js';
import { applySettingsPatch, ConnectionSettings, defaultConnectionSettings, type ConnectionSettingsPatch } from '../domain/connection-settings.js';
import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import { newId } from '../domain/ids.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { appendAudit } from '../store/audit.js';
import { findConnection, findConnectionByCrm, insertConnection, listConnections, updateConnection } from '../store/connections.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, writeJson, type Store, type Tx } from '../store/store.js';
import { appendSyncLogs } from '../store/sync-logs.js';
import { revokeAtVendor } from './revocation.js';
import type { SandboxOrigins } from './sandbox-origins.js';
import { checkTarget } from './target-policy.js';
import { AccessTokens } from './tokens.js';
import { connectionView, type ConnectionView } from './view.js';

export interface ConnectionDeps {
  store: Store;
  vault: Vault;
  http: CrmHttp;
  /** The sandboxes a connection may point at (none in production). */
  sandboxOrigins: SandboxOrigins;
  oauthApp(crm: CrmId, target: ConnectionTarget): Promise<OAuthApp | undefined>;
}

export interface NewConnection {
  crm: CrmId;
  method: Exclude<AuthMethod, 'oauth'>;
  fields: Record<string, string | undefined>;
  target: ConnectionTarget;
}

/** Connecting, testing, configuring and disconnecting CRMs (PRODUCT.md K1-K7). */
export class Connections {
  readonly tokens: AccessTokens;

  constructor(private readonly deps: ConnectionDeps) {
    this.tokens = new AccessTokens(deps);
  }

  async list(workspaceId: string): Promise<ConnectionView[]> {
    return (await listConnections(this.deps.store.db, workspaceId)).map(connectionView);
  }

  async get(workspaceId: string, id: string): Promise<ConnectionView> {
    return connectionView(await this.row(workspaceId, id));
  }

  /** API-key and service methods: checked against the CRM before anything is stored. */
  async create(workspaceId: string, actor: string, input: NewConnection): Promise<ConnectionView> {
    const facts = connectionFacts(input.crm);
    if (!facts.methods.includes(input.method)) {
      throw new AppError('validation_failed', undefined, [
        { path: 'auth.method', message: `${CRM_NAMES[input.crm]} connects with ${facts.methods.join(' or ') || 'no method yet'}, not ${input.method}` },
      ]);
    }
    const fields = input.method === 'api_key' ? facts.apiKeyFields : facts.serviceFields;
    const missing: ErrorDetail[] = [...fields, ...facts.targetFields]
      .filter((f) => f.required && !(input.fields[f.name]?.trim() || input.target[f.name as keyof ConnectionTarget]))
      .map((f) => ({ path: fields.includes(f) ? `auth.${f.name}` : f.name, message: `is required: ${f.label}. ${f.help}` }));
    if (missing.length) throw new AppError('validation_failed', undefined, missing);
    await this.assertTarget(input.crm, input.target);
    await this.assertNoLiveConnection(workspaceId, input.crm);

    const now = Date.now();
    let credentials: Credentials;
    const target = input.target;
    if (input.method === 'api_key') {
      credentials = { method: 'api_key', apiKey: input.fields.apiKey!.trim(), database: input.fields.database?.trim(), username: input.fields.username?.trim() };
    } else {
      const clientId = input.fields.clientId!.trim();
      const clientSecret = input.fields.clientSecret!.trim();
      const token = await this.crmCall(() => facts.serviceToken!({ http: this.deps.http, target, clientId, clientSecret }), ['client id', 'client secret']);
      credentials = { method: 'service', clientId, clientSecret, accessToken: token.accessToken, expiresAt: token.expiresAt };
    }
    const typed = [...fields].filter((f) => f.secret).map((f) => f.label.toLowerCase());
    const check = await this.crmCall(() => facts.check({ http: this.deps.http, target, credentials }), typed);
    return this.store(workspaceId, actor, input.crm, input.method, { ...target, ...check.target }, credentials, check.account, now);
  }

  /**
   * Stores a checked connection: new, or a reconnect of one that was disconnected or lost its
   * authorization (its settings are kept). A second live connection to the same CRM is a conflict.
   */
  async store(
    workspaceId: string,
    actor: string,
    crm: CrmId,
    method: AuthMethod,
    target: ConnectionTarget,
    credentials: Credentials,
    account: string,
    now: number,
  ): Promise<ConnectionView> {
    const expiresAt = credentials.method === 'api_key' ? null : (credentials.expiresAt ?? null);
    const id = await this.deps.store.write(async (tx) => {
      const prior = await findConnectionByCrm(tx, workspaceId, crm);
      if (prior && prior.status === 'connected') throw conflict(crm);
      const id = prior?.id ?? newId('conn');
      const fields = {
        status: 'connected' as const,
        auth_method: method,
        target: writeJson(target),
        account_label: account,
        credentials: this.deps.vault.sealJson(credentials, id),
        token_expires_at: expiresAt,
        last_error: null,
        last_error_at: null,
        last_checked_at: now,
        connected_by: actor,
        refresh_lease_owner: null,
        refresh_lease_expires_at: null,
        updated_at: now,
      };
      if (prior) await updateConnection(tx, id, fields);
      else
        await insertConnection(tx, {
          id,
          workspace_id: workspaceId,
          crm,
          settings: writeJson(defaultConnectionSettings()),
          outbox_cursor: 0,
          sync_lease_owner: null,
          sync_lease_expires_at: null,
          last_sync_at: null,
          created_at: now,
          ...fields,
        });
      await appendAudit(tx, { workspaceId, actor, action: 'connection.connected', target: id, details: { crm, method, account, target } }, now);
      return id;
    });
    return this.get(workspaceId, id);
  }

  /** Test Connection: a cheap authenticated call; the status follows what the CRM said. */
  async test(workspaceId: string, actor: string, id: string): Promise<ConnectionView> {
    const row = await this.row(workspaceId, id);
    if (row.status === 'disconnected') throw new AppError('conflict', 'This connection is disconnected; connect it again first.');
    const facts = connectionFacts(row.crm as CrmId);
    const target = readJson<ConnectionTarget>(row.target);
    const now = Date.now();
    let outcome: { status: ConnectionTable['status']; error: string | null; account?: string; target?: Partial<ConnectionTarget> };
    try {
      let credentials = await this.tokens.credentials(id);
      let check;
      try {
        check = await facts.check({ http: this.deps.http, target, credentials });
      } catch (err) {
        // A token can be revoked or expire early: refresh once on a refusal, then judge.
        if (!(err instanceof CrmError && err.kind === 'auth') || credentials.method === 'api_key') throw err;
        credentials = await this.tokens.credentials(id, credentials.accessToken);
        check = await facts.check({ http: this.deps.http, target, credentials });
      }
      outcome = { status: 'connected', error: null, account: check.account, target: check.target };
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      outcome = { status: err.kind === 'auth' ? 'needs_reconnect' : 'error', error: err.message };
    }
    await this.deps.store.write(async (tx) => {
      await updateConnection(tx, id, {
        status: outcome.status,
        last_error: outcome.error,
        last_error_at: outcome.error ? now : null,
        last_checked_at: now,
        ...(outcome.account ? { account_label: outcome.account } : {}),
        // What the check learned may have changed (an Odoo server upgraded to JSON-2).
        ...(outcome.target ? { target: writeJson({ ...target, ...outcome.target }) } : {}),
        updated_at: now,
      });
      await appendAudit(tx, { workspaceId, actor, action: 'connection.tested', target: id, details: { status: outcome.status, error: outcome.error } }, now);
    });
    return this.get(workspaceId, id);
  }

  async configure(workspaceId: string, actor: string, id: string, patch: ConnectionSettingsPatch): Promise<ConnectionView> {
    const now = Date.now();
    await this.deps.store.write(async (tx) => {
      const row = await this.row(workspaceId, id, tx);
      const current = ConnectionSettings.parse(readJson(row.settings));
      if (current.active) throw new AppError('conflict', 'The settings are locked while the connection is active: deactivate it, edit, then activate again.');
      const next = applySettingsPatch(current, patch);
      await updateConnection(tx, id, { settings: writeJson(next), updated_at: now });
      await appendAudit(tx, { workspaceId, actor, action: 'connection.settings_changed', target: id, details: { changed: Object.keys(patch) } }, now);
    });
    return this.get(workspaceId, id);
  }

  /** Marks the connection active or not (activation itself, with its test record, is the engine's). */
  async setActive(workspaceId: string, actor: string, id: string, active: boolean, details: Record<string, unknown>): Promise<ConnectionView> {
    const now = Date.now();
    await this.deps.store.write(async (tx) => {
      const row = await this.row(workspaceId, id, tx);
      const settings = { ...ConnectionSettings.parse(readJson(row.settings)), active };
      await updateConnection(tx, id, { settings: writeJson(settings), updated_at: now });
      await appendAudit(tx, { workspaceId, actor, action: active ? 'connection.activated' : 'connection.deactivated', target: id, details }, now);
    });
    return this.get(workspaceId, id);
  }

  /**
   * Stops syncing, revokes an OAuth grant at the vendor where it offers that (best effort, before
   * the credentials are gone, so a failure is reported rather than blocking), then destroys the
   * credentials; nothing in the CRM is touched.
   */
  async disconnect(workspaceId: string, actor: string, id: string): Promise<ConnectionView> {
    const held = await this.row(workspaceId, id);
    const credentials = held.credentials ? this.openQuietly(held) : undefined;
    const revoked = credentials ? await revokeAtVendor(this.deps, held, credentials) : undefined;
    const now = Date.now();
    await this.deps.store.write(async (tx) => {
      const row = await this.row(workspaceId, id, tx);
      await updateConnection(tx, id, { status: 'disconnected', credentials: null, token_expires_at: null, refresh_lease_owner: null, refresh_lease_expires_at: null, updated_at: now });
      await appendAudit(tx, { workspaceId, actor, action: 'connection.disconnected', target: id, details: { crm: row.crm, revocation: revoked?.status ?? null } }, now);
      if (revoked) await appendSyncLogs(tx, [revoked], now);
    });
    return this.get(workspaceId, id);
  }

  async assertTarget(crm: CrmId, target: ConnectionTarget): Promise<void> {
    const problems = await checkTarget(connectionFacts(crm), target, { sandboxOrigins: this.deps.sandboxOrigins });
    if (problems.length) throw new AppError('validation_failed', undefined, problems);
  }

  async assertNoLiveConnection(workspaceId: string, crm: CrmId): Promise<void> {
    const prior = await findConnectionByCrm(this.deps.store.db, workspaceId, crm);
    if (prior && prior.status === 'connected') throw conflict(crm);
  }

  /**
   * Runs a CRM call during connecting; its failure becomes an answer the admin can act on.
   * `typed` names what the admin just entered, so a refusal says what to check (there is
   * nothing to "reconnect" yet).
   */
  async crmCall<T>(call: () => Promise<T>, typed: string[] = []): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      if (err.kind === 'unavailable' || err.kind === 'rate_limited') throw new AppError('crm_unavailable', err.message);
      const advice = typed.length ? ` Check the ${typed.join(' and ')} and try again.` : '';
      throw new AppError('credentials_refused', `${err.message.replace(/\s*Reconnect .* from the connection page\.$/, '')}${advice}`);
    }
  }

  /** Credentials sealed under an old key cannot be revoked, but must not stop the disconnect. */
  private openQuietly(row: ConnectionTable): Credentials | undefined {
    try {
      return this.deps.vault.openJson<Credentials>(row.credentials!, row.id);
    } catch {
      return undefined;
    }
  }

  private async row(workspaceId: string, id: string, tx?: Tx): Promise<ConnectionTable> {
    const row = await findConnection(tx ?? this.deps.store.db, workspaceId, id);
    if (!row) throw new AppError('not_found', `No connection ${JSON.stringify(id)} in this workspace`);
    return row;
  }
}

function conflict(crm: CrmId): AppError {
  return new AppError('conflict', `This workspace already has a ${CRM_NAMES[crm]} connection; disconnect it before connecting another.`);
}


import { CrmSyncApiError, errorFromResponse } from './errors.js';
import { CLIENT_ROUTES, fillPath, type ClientRouteName } from './routes.js';
import type {
  ApiKeyInput,
  ApiKeyView,
  AuditPageView,
  AuditQuery,
  BatchInput,
  BatchResult,
  ClientInput,
  ClientView,
  ClientWrite,
  CompanyInput,
  ConnectionProgress,
  CompanyView,
  CompanyWrite,
  ConversationInput,
  ConversationView,
  ConversationWrite,
  DealInput,
  DealView,
  DealWrite,
  Health,
  MessageInput,
  NewApiKeyView,
} from './types.js';

export interface CrmSyncClientOptions {
  /** Where crm-sync is served, e.g. `https://crm-sync.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** A workspace API key (`csk_...`). */
  apiKey: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Per request, including reading the answer. Default 30 s; 0 turns it off. */
  timeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A typed client for crm-sync's ingest API, its API-key management and connections' sync progress. Every failure is a `CrmSyncApiError`, except the caller's own abort. */
export class CrmSyncClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: CrmSyncClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Creates or replaces a client; `result` says whether anything changed. */
  putClient(clientId: string, input: ClientInput, options?: RequestOptions): Promise<ClientWrite> {
    return this.call('putClient', { clientId }, input, options);
  }

  getClient(clientId: string, options?: RequestOptions): Promise<ClientView> {
    return this.call('getClient', { clientId }, undefined, options);
  }

  putCompany(companyId: string, input: CompanyInput, options?: RequestOptions): Promise<CompanyWrite> {
    return this.call('putCompany', { companyId }, input, options);
  }

  getCompany(companyId: string, options?: RequestOptions): Promise<CompanyView> {
    return this.call('getCompany', { companyId }, undefined, options);
  }

  /** Creates or replaces a conversation with its messages and analysis (messages are never removed). */
  putConversation(conversationId: string, input: ConversationInput, options?: RequestOptions): Promise<ConversationWrite> {
    return this.call('putConversation', { conversationId }, input, options);
  }

  getConversation(conversationId: string, options?: RequestOptions): Promise<ConversationView> {
    return this.call('getConversation', { conversationId }, undefined, options);
  }

  /** Adds messages to a stored conversation (404 `not_found` when there is none). */
  addMessages(conversationId: string, messages: MessageInput | MessageInput[], options?: RequestOptions): Promise<ConversationWrite> {
    return this.call('addMessages', { conversationId }, { messages: Array.isArray(messages) ? messages : [messages] }, options);
  }

  /** Asks for a deal for a client (created once in each CRM with deals, for the client's contact). */
  putDeal(dealId: string, input: DealInput, options?: RequestOptions): Promise<DealWrite> {
    return this.call('putDeal', { dealId }, input, options);
  }

  getDeal(dealId: string, options?: RequestOptions): Promise<DealView> {
    return this.call('getDeal', { dealId }, undefined, options);
  }

  /** Writes many records in one transaction: all or nothing. */
  batch(input: BatchInput, options?: RequestOptions): Promise<BatchResult> {
    return this.call('batch', {}, input, options);
  }

  /** The workspace's API keys, revoked ones included (needs a key with the admin scope). */
  listApiKeys(options?: RequestOptions): Promise<ApiKeyView[]> {
    return this.call('listApiKeys', {}, undefined, options);
  }

  /** Creates a key; its `key` is in this answer only (needs the admin scope). */
  createApiKey(input: ApiKeyInput, options?: RequestOptions): Promise<NewApiKeyView> {
    return this.call('createApiKey', {}, input, options);
  }

  /** A new key with the same name and scopes; the old one stops at once, or after `graceSeconds` (at most 3600). */
  rotateApiKey(id: string, rotation: { graceSeconds?: number } = {}, options?: RequestOptions): Promise<NewApiKeyView> {
    const query = rotation.graceSeconds === undefined ? '' : `?graceSeconds=${rotation.graceSeconds}`;
    return this.call('rotateApiKey', { id }, undefined, options, [], query);
  }

  /** Revokes a key (revoking a revoked key changes nothing). */
  revokeApiKey(id: string, options?: RequestOptions): Promise<ApiKeyView> {
    return this.call('revokeApiKey', { id }, undefined, options);
  }

  /** How far a connection is through what it has to sync: done, pending, failed, the rate and an ETA (needs the admin scope). */
  connectionProgress(connectionId: string, options?: RequestOptions): Promise<ConnectionProgress> {
    return this.call('connectionProgress', { id: connectionId }, undefined, options);
  }

  /**
   * A page of the audit log, newest first (needs the admin scope): pass the answer's
   * `nextCursor` as `cursor` for the next page.
   */
  listAudit(query: AuditQuery = {}, options?: RequestOptions): Promise<AuditPageView> {
    const params = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
    return this.call('listAudit', {}, undefined, options, [], params.size ? `?${params}` : '');
  }

  /** The service's health; a 503 (database not answering) is returned, not thrown. */
  health(options?: RequestOptions): Promise<Health> {
    return this.call('health', {}, undefined, options, [503]);
  }

  private async call<T>(name: ClientRouteName, params: Record<string, string>, body: unknown, options: RequestOptions = {}, alsoOk: number[] = [], query = ''): Promise<T> {
    const route = CLIENT_ROUTES[name];
    const url = this.baseUrl + fillPath(route.path, params) + query;
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = this.timeoutMs > 0 ? AbortSignal.timeout(this.timeoutMs) : undefined;
    const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];

    let status: number;
    let text: string;
    try {
      const res = await this.fetchImpl(url, { method: route.method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (timeout?.aborted) throw new CrmSyncApiError(0, 'timeout', `${route.method} ${url} took longer than ${this.timeoutMs} ms`, [], { cause: err });
      throw new CrmSyncApiError(0, 'network_error', `${route.method} ${url} failed: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
    }
    if ((status >= 200 && status < 300) || alsoOk.includes(status)) {
      try {
        return JSON.parse(text) as T;
      } catch (err) {
        throw new CrmSyncApiError(status, 'unexpected_response', `${route.method} ${url} answered ${status} with a body that is not JSON`, [], { cause: err });
      }
    }
    throw errorFromResponse(status, text);
  }
}

import type { CrmId } from '../domain/crm.js';
import type { CrmHttp, CrmRequest } from './http/client.js';

export type AuthMethod = 'oauth' | 'api_key' | 'service';

/** A field the admin fills in to connect (API key forms, service credentials). */
export interface CredentialField {
  name: string;
  label: string;
  /** Where to find it in the CRM, in words an admin can follow. */
  help: string;
  secret: boolean;
  required: boolean;
}

/**
 * Where a connection points. `baseUrl` overrides the vendor's hosts (the sandbox, or a
 * vendor's test environment); the others are the vendor's own per-account facts.
 */
export interface ConnectionTarget {
  baseUrl?: string;
  /** Zoho data centre: us, eu, in, au, jp, ca, ... */
  region?: string;
  /** Azure AD tenant id (Dynamics). */
  tenantId?: string;
  /** Salesforce/Dynamics instance URL or Odoo server URL. */
  instanceUrl?: string;
  /** Where API calls go, once known (e.g. Zoho's api_domain, Pipedrive's api_domain). */
  apiUrl?: string;
  /** Odoo: the external API the admin chose; auto (the default) detects it at connect. */
  api?: 'auto' | 'json2' | 'jsonrpc';
  /** Odoo: what the last check learned: the API in use and the user id /jsonrpc's execute_kw needs. */
  odoo?: { protocol: 'json2' | 'jsonrpc'; uid: number; version?: string };
}

/** What the vault keeps for a connection: the secrets, encrypted as one JSON document. */
export type Credentials =
  | { method: 'oauth'; accessToken: string; refreshToken?: string; expiresAt?: number }
  | { method: 'api_key'; apiKey: string; database?: string; username?: string }
  | { method: 'service'; clientId: string; clientSecret: string; accessToken?: string; expiresAt?: number };

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  /** Extra query parameters the vendor's authorize endpoint wants (e.g. Zoho's access_type=offline). */
  authorizeParams?: Record<string, string>;
  /** Scopes that depend on the target (Dynamics: `<instanceUrl>/user_impersonation`); when set, they replace `OAuthFacts.scopes`. */
  scopes?: string[];
}

export interface OAuthFacts {
  scopes: string[];
  /** How the `scope` parameter joins scopes: a space (RFC 6749) unless the vendor wants otherwise (Zoho: a comma). */
  scopeSeparator?: string;
  /** How the app proves itself at the token endpoint. */
  clientAuth: 'body' | 'basic';
  endpoints(target: ConnectionTarget): OAuthEndpoints;
  /**
   * How the vendor revokes a refresh token at `revokeUrl` (disconnect does it): an RFC 7009 form
   * post ('form', client authentication as `clientAuth` for 'basic'), the token in the query
   * string ('query', Zoho), or a DELETE of `<revokeUrl>/<token>` ('path', HubSpot). A vendor that
   * offers none says what the admin can do instead, for the sync log.
   */
  revocation: { style: 'form' | 'query' | 'path' } | { none: string };
  /** Reads the vendor's token response, including facts it returns about the account (instance_url, api_domain). */
  readTokenResponse(body: Record<string, unknown>, now: number): { tokens: TokenSet; target?: Partial<ConnectionTarget> };
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: number;
}

/** The result of a cheap authenticated call: who we are connected as. */
export interface CheckResult {
  /** e.g. "portal 24681357" or "admin@acme.io @ acme.my.salesforce.com" */
  account: string;
  /** Non-secret facts the check learned about the account, kept with the connection's target (Odoo's API and uid). */
  target?: Partial<ConnectionTarget>;
}

export interface ConnectorContext {
  http: CrmHttp;
  target: ConnectionTarget;
  credentials: Credentials;
}

/** The connection facts and calls of one CRM. The registry holds all seven. */
export interface CrmConnection {
  id: CrmId;
  methods: AuthMethod[];
  apiKeyFields: CredentialField[];
  serviceFields: CredentialField[];
  /** Fields of the target an admin may set (region, tenantId, instanceUrl...). */
  targetFields: CredentialField[];
  oauth?: OAuthFacts;
  /** Hosts a production instance URL may have, e.g. /\.my\.salesforce\.com$/. */
  instanceHosts: RegExp[];
  /** The base of API calls for this target. */
  apiBase(target: ConnectionTarget): string;
  /** Service-to-service token (client credentials), for CRMs that offer it. */
  serviceToken?(ctx: { http: CrmHttp; target: ConnectionTarget; clientId: string; clientSecret: string }): Promise<TokenSet>;
  /** Headers (or query) that authenticate a call with these credentials. */
  authHeaders(credentials: Credentials, target: ConnectionTarget): Record<string, string>;
  /** For APIs that authenticate in the body (Odoo's /jsonrpc execute_kw): the request with the credentials put in. */
  authRequest?(credentials: Credentials, target: ConnectionTarget, req: CrmRequest): CrmRequest;
  /** A cheap authenticated call that proves auth and API access. */
  check(ctx: ConnectorContext): Promise<CheckResult>;
}

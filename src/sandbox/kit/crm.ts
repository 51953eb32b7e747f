import type { FastifyPluginAsync } from 'fastify';
import type { CrmId } from '../../domain/crm.js';
import type { OAuthServer } from './oauth.js';
import type { SandboxSettings } from './settings.js';
import type { WebhookHub } from './webhooks.js';

/** What a fake CRM gets from the sandbox around it. */
export interface SandboxCrmContext {
  /** This CRM's current behaviour settings (read them per request: the control API changes them). */
  settings(): SandboxSettings;
  /** Seeded random numbers, for repeatable behaviour. */
  random(): number;
}

/**
 * One fake CRM. `routes` serves the vendor's own paths and is mounted under
 * `/sandbox/<id>`, after the shared hooks (fault injection, request counting,
 * form bodies) and a fallback error handler built from `failure`.
 */
export interface SandboxCrm {
  id: CrmId;
  routes: FastifyPluginAsync;
  /**
   * The default account as a person or a test needs it to connect: credentials,
   * OAuth app, users, paths. `baseUrl` is this CRM's root, e.g. http://127.0.0.1:3000/sandbox/hubspot.
   */
  account(baseUrl: string): Record<string, unknown>;
  /** Every record by object name, for the control API's dump and the HTML view. */
  dump(): Record<string, unknown[]>;
  /** Back to the initial state: seeded users and credentials, no other records. */
  reset(): void;
  /** The vendor's error body for a given HTTP status (used for injected faults and unknown routes). */
  failure(status: number, message: string): unknown;
  oauth?: OAuthServer;
  webhooks?: WebhookHub;
  /**
   * Whether a request may change state, for the fault of writes that commit but answer late.
   * Without it, by method (POST, PUT, PATCH, DELETE); a CRM that reads through a POST (a
   * Dataverse `$batch` of GETs) says so here.
   */
  isWrite?(req: { method: string; url: string; body: unknown }): boolean;
}

export type SandboxCrmFactory = (ctx: SandboxCrmContext) => SandboxCrm;

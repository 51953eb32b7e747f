import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { SandboxCrmContext } from '../kit/crm.js';
import type { Table, Stamped } from '../kit/table.js';
import type { WebhookHub } from '../kit/webhooks.js';
import { notFound } from './errors.js';
import type { PipedriveState } from './state.js';
import { emitChange, type Change } from './webhooks.js';

/** What every route module needs. */
export interface PipedriveApi {
  state: PipedriveState;
  hub: WebhookHub;
  ctx: SandboxCrmContext;
}

export type Handler = (req: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Registers a v1 route at `/api/v1/...` (the company domain's path) and at
 * `/v1/...` (api.pipedrive.com/v1, the SDK's default base path).
 */
export function v1Route(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: Handler): void {
  for (const prefix of ['/api/v1', '/v1']) app.route({ method, url: `${prefix}${path}`, handler: handler as RouteHandlerMethod });
}

export function idParam(req: FastifyRequest): string {
  const raw = (req.params as { id?: string }).id ?? '';
  return /^\d+$/.test(raw) ? String(Number(raw)) : raw;
}

export function mustGet<T extends Stamped>(table: Table<T>, id: string, message: string): T {
  const row = table.get(id);
  if (!row) throw notFound(message);
  return row;
}

export function query(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

/** A record changed within the sandbox's search lag is not yet visible to search. */
export function searchable(api: PipedriveApi, row: Stamped): boolean {
  return Date.now() - row.updatedAt >= api.ctx.settings().searchLagMs;
}

export function notify(api: PipedriveApi, change: Change): void {
  emitChange(api.hub, api.state, change);
}

/** Optional integer filter from the query string (`?org_id=3`). */
export function intFilter(q: Record<string, unknown>, key: string): number | undefined {
  const v = q[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

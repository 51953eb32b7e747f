import { methodNotAllowed, notFound } from './errors.js';
import type { Org } from './org.js';

/**
 * The REST data API under `/services/data/vXX.X`, as plain functions from a request to
 * a response, so the Composite resource can run subrequests through the same code
 * (and count as one API call, as Salesforce counts it).
 */
export interface ApiRequest {
  method: string;
  /** Path segments after the version, decoded. */
  segments: string[];
  query: URLSearchParams;
  rawBody?: string;
  headers: Record<string, string | undefined>;
  /** The sandbox user the session acts as. */
  userId: string;
  /** The org's instance URL, e.g. http://127.0.0.1:3000/sandbox/salesforce */
  instanceUrl: string;
  /** e.g. "60.0" */
  version: string;
  org: Org;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (req: ApiRequest, params: Record<string, string>) => ApiResponse;

export interface ApiRoute {
  /** Literal segments, or `:name` for a parameter. */
  pattern: string[];
  methods: Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', ApiHandler>>;
}

export const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

export function dispatch(routes: ApiRoute[], req: ApiRequest): ApiResponse {
  for (const route of routes) {
    const params = matchPattern(route.pattern, req.segments);
    if (!params) continue;
    const handler = route.methods[req.method as keyof ApiRoute['methods']];
    if (!handler) throw methodNotAllowed(req.method, Object.keys(route.methods));
    return handler(req, params);
  }
  throw notFound();
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return undefined;
  }
  return params;
}

import { dispatch, ok, type ApiRequest, type ApiResponse, type ApiRoute } from '../api.js';
import { SalesforceError, jsonParserError, parseJsonBody, restError } from '../errors.js';

/** Composite: up to 25 subrequests in one call, later ones reading earlier results through @{ref.path}. */
export const COMPOSITE_LIMIT = 25;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const ROLLED_BACK = [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }];

export function compositeRoutes(all: () => ApiRoute[]): ApiRoute[] {
  return [{ pattern: ['composite'], methods: { POST: (req) => composite(req, all()) } }];
}

function readSubrequests(raw: string | undefined): { allOrNone: boolean; subs: Subrequest[] } {
  const body = parseJsonBody(raw) as { allOrNone?: unknown; compositeRequest?: unknown } | undefined;
  const list = body?.compositeRequest;
  if (!Array.isArray(list)) throw jsonParserError('Cannot deserialize the request body: compositeRequest is required');
  if (list.length > COMPOSITE_LIMIT) {
    throw restError(400, 'INVALID_REQUEST', `Invalid request: composite request can only contain up to ${COMPOSITE_LIMIT} subrequests`, []);
  }
  const subs = list.map((s: Partial<Subrequest>, i) => {
    if (typeof s?.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') {
      throw restError(400, 'INVALID_REQUEST', `Subrequest ${i} needs method, url and referenceId`, []);
    }
    return s as Subrequest;
  });
  return { allOrNone: body?.allOrNone === true, subs };
}

function composite(req: ApiRequest, routes: ApiRoute[]): ApiResponse {
  const { allOrNone, subs } = readSubrequests(req.rawBody);
  const snapshot = allOrNone ? req.org.store.snapshot() : undefined;
  const done = new Map<string, unknown>();
  const results: SubResult[] = [];
  for (const sub of subs) {
    const result = run(req, routes, sub, done);
    results.push(result);
    if (result.httpStatusCode < 400) done.set(sub.referenceId, result.body);
    else if (snapshot) {
      req.org.store.restore(snapshot);
      const halted = (s: Subrequest): SubResult => ({ body: ROLLED_BACK, httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId });
      return ok({ compositeResponse: subs.map((s, i) => (results[i] && results[i].httpStatusCode >= 400 ? results[i] : halted(s))) });
    }
  }
  return ok({ compositeResponse: results });
}

function run(req: ApiRequest, routes: ApiRoute[], sub: Subrequest, done: Map<string, unknown>): SubResult {
  const base = { httpHeaders: {}, referenceId: sub.referenceId };
  try {
    const url = resolveRefs(sub.url, done) as string;
    const m = /^\/services\/data\/v(\d+\.0)(\/[^?]*)?(?:\?(.*))?$/.exec(url);
    if (!m) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const response = dispatch(routes, {
      ...req,
      method: sub.method.toUpperCase(),
      version: m[1] as string,
      segments: (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent),
      query: new URLSearchParams(m[3] ?? ''),
      rawBody: sub.body === undefined ? undefined : JSON.stringify(resolveRefs(sub.body, done)),
      headers: { ...req.headers, ...lowerKeys(sub.httpHeaders ?? {}) },
    });
    return { ...base, body: response.body ?? null, httpHeaders: location(response), httpStatusCode: response.status };
  } catch (err) {
    if (err instanceof SalesforceError) return { ...base, body: err.errors, httpStatusCode: err.status };
    throw err;
  }
}

function location(response: ApiResponse): Record<string, string> {
  const value = response.headers?.location;
  return value ? { Location: value } : {};
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const REF = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** Replaces @{ref.path} in strings (a whole-string reference keeps the referenced value's type). */
function resolveRefs(value: unknown, done: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${REF.source}$`).exec(value);
    if (whole) return lookup(whole[1] as string, whole[2] ?? '', done);
    return value.replace(REF, (_m, ref: string, path: string) => String(lookup(ref, path, done)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, done));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, done)]));
  return value;
}

function lookup(ref: string, path: string, done: Map<string, unknown>): unknown {
  let current: unknown = done.get(ref);
  for (const step of path.match(/[A-Za-z0-9_]+|\d+/g) ?? []) {
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[step] : undefined;
  }
  if (current === undefined || !done.has(ref)) {
    throw restError(400, 'PROCESSING_HALTED', `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') must be one of the previous subrequests`, []);
  }
  return current;
}

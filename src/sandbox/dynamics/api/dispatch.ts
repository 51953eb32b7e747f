import { BUSINESS_UNIT_ID, ORGANIZATION_ID } from '../facts.js';
import { DataverseError, methodNotAllowed, queryError } from '../errors.js';
import { ENTITIES } from '../schema/index.js';
import { handleCollection } from './collection.js';
import { JSON_MINIMAL, type ApiContext, type ApiRequest, type ApiResponse } from './context.js';
import { entitySet, parseRowKey, splitResourcePath } from './keys.js';
import { handleMetadata } from './metadata.js';
import { handleRow } from './records.js';

/**
 * Routes one Web API request (alone or from a `$batch`) to its handler and turns
 * thrown DataverseErrors into the vendor's error responses.
 */
export function dispatch(ctx: ApiContext, req: ApiRequest): ApiResponse {
  try {
    return route(ctx, req);
  } catch (e) {
    if (e instanceof DataverseError) return errorResponse(e);
    throw e;
  }
}

export function errorResponse(e: DataverseError): ApiResponse {
  return { status: e.status, headers: { 'content-type': JSON_MINIMAL, ...e.headers }, body: e.body() };
}

function route(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const path = req.path.replace(/\/$/, '');
  if (path === '') return serviceDocument(ctx, req);
  if (path === 'WhoAmI' || path === 'WhoAmI()') return whoAmI(ctx, req);
  if (path === '$batch') throw queryError('A batch request cannot contain another batch request.');
  if (path === 'EntityDefinitions' || path.startsWith('EntityDefinitions(') || path.startsWith('EntityDefinitions/')) return handleMetadata(ctx, req);
  const { set, key, rest } = splitResourcePath(path);
  const def = entitySet(set);
  if (key === undefined) return handleCollection(ctx, req, def, rest);
  return handleRow(ctx, req, def, parseRowKey(def, key), rest);
}

function whoAmI(ctx: ApiContext, req: ApiRequest): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  return {
    status: 200,
    headers: { 'content-type': JSON_MINIMAL },
    body: {
      '@odata.context': `${ctx.apiBase}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: BUSINESS_UNIT_ID,
      UserId: ctx.userId,
      OrganizationId: ORGANIZATION_ID,
    },
  };
}

function serviceDocument(ctx: ApiContext, req: ApiRequest): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  return {
    status: 200,
    headers: { 'content-type': JSON_MINIMAL },
    body: {
      '@odata.context': `${ctx.apiBase}/$metadata`,
      value: ENTITIES.map((e) => ({ name: e.entitySetName, kind: 'EntitySet', url: e.entitySetName })),
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HubSpotError } from '../errors.js';
import type { CrmRecords } from '../records.js';
import { checkGroups, matchesGroups, matchesQuery, SEARCH_LIMITS, sortRows, type SearchSort } from '../search.js';
import { parseBody } from '../validation.js';
import { objectTypeOf } from './common.js';

const Filter = z.object({
  propertyName: z.string(),
  operator: z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  highValue: z.union([z.string(), z.number()]).transform(String).optional(),
  values: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
});
const Sort = z.union([
  z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
  z.string().transform((s): SearchSort => (s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' } : { propertyName: s, direction: 'ASCENDING' })),
]);
const SearchBody = z.object({
  filterGroups: z.array(z.object({ filters: z.array(Filter) })).default([]),
  sorts: z.array(Sort).default([]),
  properties: z.array(z.string()).optional(),
  query: z.string().optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});

/**
 * `POST /crm/v3/objects/{objectType}/search`, over the lagging index: records
 * written less than `searchLagMs` ago are seen as they were before (or not at all).
 */
export function registerSearchRoutes(app: FastifyInstance, records: CrmRecords): void {
  app.post('/crm/v3/objects/:objectType/search', async (req) => {
    const type = objectTypeOf(req);
    const body = parseBody(SearchBody, req.body);
    const lookup = (name: string) => records.properties.get(type, name);
    if (body.limit > SEARCH_LIMITS.maxLimit) throw HubSpotError.of(400, `limit must be less than or equal to ${SEARCH_LIMITS.maxLimit}, got ${body.limit}`);
    if (body.sorts.length > 1) throw HubSpotError.of(400, 'Only one sort is allowed');
    checkGroups(body.filterGroups, lookup);
    const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) throw HubSpotError.of(400, `after must be a non-negative integer offset, got ${body.after}`);
    if (offset + body.limit > SEARCH_LIMITS.maxResults)
      throw HubSpotError.of(400, `Search can page through at most ${SEARCH_LIMITS.maxResults} results; narrow the filters instead`);

    const matched = records.store.searchable(type, Date.now()).filter((r) => matchesGroups(r, body.filterGroups, lookup) && matchesQuery(r, body.query));
    const sorted = sortRows(matched, body.sorts, lookup);
    const page = sorted.slice(offset, offset + body.limit);
    const next = body.limit > 0 && offset + body.limit < sorted.length ? String(offset + body.limit) : undefined;
    return {
      total: sorted.length,
      results: page.map((r) => records.serialize(type, { ...r, archived: false }, body.properties)),
      ...(next ? { paging: { next: { after: next } } } : {}),
    };
  });
}

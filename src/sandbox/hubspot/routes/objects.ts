import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../auth.js';
import { principalOf } from '../auth.js';
import { HubSpotError, notFound } from '../errors.js';
import type { CrmRecords } from '../records.js';
import { intParam, listParam, parseBody } from '../validation.js';
import { InlineAssociations, objectTypeOf, PropertyValues } from './common.js';

const CreateBody = z.object({ properties: PropertyValues, associations: InlineAssociations.optional() });
const UpdateBody = z.object({ properties: PropertyValues });
const MAX_PAGE = 100;

interface ReadQuery {
  properties?: string | string[];
  associations?: string | string[];
  idProperty?: string;
  archived?: string;
  limit?: string;
  after?: string;
}

/** `/crm/v3/objects/{objectType}` and `/{objectType}/{id}`: create, list, read, update, archive. */
export function registerObjectRoutes(app: FastifyInstance, records: CrmRecords): void {
  app.post('/crm/v3/objects/:objectType', async (req, reply) => {
    const type = objectTypeOf(req);
    const body = parseBody(CreateBody, req.body);
    const prepared = records.prepareCreate(type, body.properties, body.associations);
    const row = records.create(type, prepared, principalOf(req) satisfies Principal);
    return reply.code(201).send(records.serialize(type, row, 'all'));
  });

  app.get('/crm/v3/objects/:objectType', async (req) => {
    const type = objectTypeOf(req);
    const q = req.query as ReadQuery;
    const limit = intParam(q.limit, 'limit', 10);
    if (limit < 1 || limit > MAX_PAGE) throw HubSpotError.of(400, `limit must be between 1 and ${MAX_PAGE}, got ${limit}`);
    const archived = q.archived === 'true';
    const rows = records.store.all(type).filter((r) => r.archived === archived);
    const start = q.after ? rows.findIndex((r) => Number(r.id) >= Number(q.after)) : 0;
    const page = start < 0 ? [] : rows.slice(start, start + limit);
    const next = start < 0 ? undefined : rows[start + limit];
    const props = listParam(q.properties);
    const assoc = listParam(q.associations);
    return {
      results: page.map((r) => records.serialize(type, r, props, assoc)),
      ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}),
    };
  });

  app.get('/crm/v3/objects/:objectType/:id', async (req) => {
    const type = objectTypeOf(req);
    const q = req.query as ReadQuery;
    const { id } = req.params as { id: string };
    const row = q.archived === 'true' ? records.store.table(type).get(id) : records.find(type, id, q.idProperty);
    if (!row) throw notFound();
    return records.serialize(type, row, listParam(q.properties), listParam(q.associations));
  });

  app.patch('/crm/v3/objects/:objectType/:id', async (req) => {
    const type = objectTypeOf(req);
    const { id } = req.params as { id: string };
    const body = parseBody(UpdateBody, req.body);
    const row = records.find(type, id, (req.query as ReadQuery).idProperty);
    if (!row) throw notFound();
    const values = records.prepareUpdate(type, row.id, body.properties);
    return records.serialize(type, records.update(type, row, values, principalOf(req)), 'all');
  });

  app.delete('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const type = objectTypeOf(req);
    records.archive(type, (req.params as { id: string }).id, principalOf(req));
    return reply.code(204).send();
  });
}

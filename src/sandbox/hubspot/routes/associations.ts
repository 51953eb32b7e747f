import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { associationType, defaultAssociationType, type AssociationType } from '../association-types.js';
import { HubSpotError, tooManyInputs } from '../errors.js';
import { OBJECTS, type ObjectType } from '../objects.js';
import type { CrmRecords } from '../records.js';
import { intParam, parseBody } from '../validation.js';
import { AssociationSpecSchema, batchEnvelope, batchError, objectTypeOf } from './common.js';

const Id = z.union([z.string(), z.number()]).transform(String);
const Specs = z.array(AssociationSpecSchema);
const BatchCreate = z.object({ inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }), types: Specs })) });
const BatchDefault = z.object({ inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }) })) });
const BatchRead = z.object({ inputs: z.array(z.object({ id: Id, after: z.string().optional() })) });
const BatchArchive = z.object({ inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.array(z.object({ id: Id })) })) });
const MAX_BATCH = 100;

/** v4 reports ids as numbers and a type as {category, typeId, label}. */
const typeView = (t: AssociationType) => ({ category: 'HUBSPOT_DEFINED', typeId: t.typeId, label: t.label });
const specView = (t: AssociationType) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.typeId });

/** `/crm/v4/objects/.../associations/...` and `/crm/v4/associations/{from}/{to}/batch/*`. */
export function registerAssociationRoutes(app: FastifyInstance, records: CrmRecords): void {
  const mustExist = (type: ObjectType, id: string) => {
    if (!records.store.get(type, id)) throw HubSpotError.of(400, `${OBJECTS[type].label} ${id} does not exist`, { context: { objectId: [id] } });
  };
  const resolve = (from: ObjectType, to: ObjectType, typeId: number) => {
    const t = associationType(from, to, typeId);
    if (!t) throw HubSpotError.of(400, `${typeId} is not a valid association type id from ${OBJECTS[from].singular} to ${OBJECTS[to].singular}`);
    return t;
  };
  const linkDefault = (from: ObjectType, fromId: string, to: ObjectType, toId: string) => {
    mustExist(from, fromId);
    mustExist(to, toId);
    const t = defaultAssociationType(from, to);
    if (!t) throw HubSpotError.of(400, `${OBJECTS[from].singular} records cannot be associated with ${OBJECTS[to].singular} records`);
    records.associations.add(t, fromId, toId);
    return [
      { from: { id: fromId }, to: { id: toId }, associationSpec: specView(t) },
      { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.inverseTypeId } },
    ];
  };
  const linkLabelled = (from: ObjectType, fromId: string, to: ObjectType, toId: string, specs: z.infer<typeof Specs>) => {
    mustExist(from, fromId);
    mustExist(to, toId);
    const types = specs.map((s) => resolve(from, to, s.associationTypeId));
    for (const t of types) records.associations.add(t, fromId, toId);
    return {
      fromObjectTypeId: OBJECTS[from].typeId,
      fromObjectId: Number(fromId),
      toObjectTypeId: OBJECTS[to].typeId,
      toObjectId: Number(toId),
      labels: types.flatMap((t) => (t.label ? [t.label] : [])),
    };
  };

  app.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', async (req) => {
    const p = req.params as Record<string, string>;
    const startedAt = new Date().toISOString();
    const results = linkDefault(objectTypeOf(req, 'fromObjectType'), p.fromObjectId ?? '', objectTypeOf(req, 'toObjectType'), p.toObjectId ?? '');
    return batchEnvelope(startedAt, results, []);
  });

  app.put('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', async (req, reply) => {
    const p = req.params as Record<string, string>;
    const specs = parseBody(Specs, req.body);
    const result = linkLabelled(objectTypeOf(req), p.objectId ?? '', objectTypeOf(req, 'toObjectType'), p.toObjectId ?? '', specs);
    return reply.code(201).send(result);
  });

  app.delete('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', async (req, reply) => {
    const p = req.params as Record<string, string>;
    records.associations.removeAll(objectTypeOf(req), p.objectId ?? '', objectTypeOf(req, 'toObjectType'), p.toObjectId ?? '');
    return reply.code(204).send();
  });

  app.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', async (req) => {
    const p = req.params as Record<string, string>;
    const q = req.query as { limit?: string; after?: string };
    const limit = Math.min(intParam(q.limit, 'limit', 500), 500);
    const offset = intParam(q.after, 'after', 0);
    const links = records.associations.list(objectTypeOf(req), p.objectId ?? '', objectTypeOf(req, 'toObjectType'));
    const page = links.slice(offset, offset + limit);
    return {
      results: page.map((l) => ({ toObjectId: Number(l.toId), associationTypes: l.types.map(typeView) })),
      ...(offset + limit < links.length ? { paging: { next: { after: String(offset + limit), link: `?after=${offset + limit}` } } } : {}),
    };
  });

  const batchBase = '/crm/v4/associations/:fromObjectType/:toObjectType/batch';

  app.post(`${batchBase}/create`, async (req, reply) => {
    const [from, to] = [objectTypeOf(req, 'fromObjectType'), objectTypeOf(req, 'toObjectType')];
    const startedAt = new Date().toISOString();
    const { inputs } = parseBody(BatchCreate, req.body);
    if (inputs.length > MAX_BATCH) throw tooManyInputs(inputs.length, MAX_BATCH);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      try {
        results.push(linkLabelled(from, input.from.id, to, input.to.id, input.types));
      } catch (e) {
        if (!(e instanceof HubSpotError)) throw e;
        errors.push(batchError(e.body.category, e.body.message, { fromObjectId: [input.from.id], toObjectId: [input.to.id] }));
      }
    }
    return reply.code(errors.length > 0 ? 207 : 201).send(batchEnvelope(startedAt, results, errors));
  });

  app.post(`${batchBase}/associate/default`, async (req, reply) => {
    const [from, to] = [objectTypeOf(req, 'fromObjectType'), objectTypeOf(req, 'toObjectType')];
    const startedAt = new Date().toISOString();
    const { inputs } = parseBody(BatchDefault, req.body);
    if (inputs.length > MAX_BATCH) throw tooManyInputs(inputs.length, MAX_BATCH);
    const results = inputs.flatMap((i) => linkDefault(from, i.from.id, to, i.to.id));
    return reply.code(200).send(batchEnvelope(startedAt, results, []));
  });

  app.post(`${batchBase}/read`, async (req, reply) => {
    const [from, to] = [objectTypeOf(req, 'fromObjectType'), objectTypeOf(req, 'toObjectType')];
    const startedAt = new Date().toISOString();
    const { inputs } = parseBody(BatchRead, req.body);
    if (inputs.length > 1000) throw tooManyInputs(inputs.length, 1000);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const { id } of inputs) {
      const links = records.associations.list(from, id, to);
      if (links.length === 0) {
        errors.push({
          ...batchError('OBJECT_NOT_FOUND', `No ${OBJECTS[to].singular} is associated with ${OBJECTS[from].singular} ${id}.`, { fromObjectId: [id] }),
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        });
      } else {
        results.push({ from: { id }, to: links.map((l) => ({ toObjectId: Number(l.toId), associationTypes: l.types.map(typeView) })) });
      }
    }
    return reply.code(errors.length > 0 ? 207 : 200).send(batchEnvelope(startedAt, results, errors));
  });

  app.post(`${batchBase}/archive`, async (req, reply) => {
    const [from, to] = [objectTypeOf(req, 'fromObjectType'), objectTypeOf(req, 'toObjectType')];
    for (const input of parseBody(BatchArchive, req.body).inputs)
      for (const target of input.to) records.associations.removeAll(from, input.from.id, to, target.id);
    return reply.code(204).send();
  });
}

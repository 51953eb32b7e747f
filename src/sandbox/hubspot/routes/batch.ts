import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth.js';
import { HubSpotError, tooManyInputs } from '../errors.js';
import { OBJECTS, type ObjectType } from '../objects.js';
import type { CrmRecords, Prepared } from '../records.js';
import type { CrmRecord } from '../store.js';
import { parseBody } from '../validation.js';
import { batchEnvelope, batchError, InlineAssociations, objectTypeOf, PropertyValues } from './common.js';

const MAX_INPUTS = 100;
const Id = z.union([z.string(), z.number()]).transform(String);

const CreateInputs = z.object({
  inputs: z.array(z.object({ properties: PropertyValues, associations: InlineAssociations.optional(), objectWriteTraceId: z.string().optional() })),
});
const ReadInputs = z.object({ inputs: z.array(z.object({ id: Id })), properties: z.array(z.string()).optional(), idProperty: z.string().optional() });
const UpdateInputs = z.object({ inputs: z.array(z.object({ id: Id, idProperty: z.string().optional(), properties: PropertyValues })) });
const UpsertInputs = z.object({ inputs: z.array(z.object({ id: Id, idProperty: z.string(), properties: PropertyValues })) });
const ArchiveInputs = z.object({ inputs: z.array(z.object({ id: Id })) });

function limited<T extends { inputs: unknown[] }>(body: T): T {
  if (body.inputs.length > MAX_INPUTS) throw tooManyInputs(body.inputs.length, MAX_INPUTS);
  return body;
}

const notFoundError = (type: ObjectType, ids: string[]) =>
  batchError('OBJECT_NOT_FOUND', `Could not get some ${OBJECTS[type].label} objects, they may be deleted or not exist. Check that ids are valid.`, { ids });

/**
 * `/crm/v3/objects/{objectType}/batch/*`: at most 100 inputs; missing ids give
 * 207 with `errors`; a create with an `objectWriteTraceId` on every input gets
 * per-input errors (207), otherwise one invalid input fails the whole batch.
 */
export function registerBatchRoutes(app: FastifyInstance, records: CrmRecords): void {
  app.post('/crm/v3/objects/:objectType/batch/create', async (req, reply) => {
    const type = objectTypeOf(req);
    const startedAt = new Date().toISOString();
    const { inputs } = limited(parseBody(CreateInputs, req.body));
    const prepared: (Prepared | HubSpotError)[] = [];
    const emails = new Set<string>();
    for (const input of inputs) {
      try {
        const p = records.prepareCreate(type, input.properties, input.associations);
        const email = type === 'contacts' ? p.values.email : undefined;
        if (email && emails.has(email)) throw HubSpotError.of(409, `Duplicate email in batch input: ${email}`);
        if (email) emails.add(email);
        prepared.push(p);
      } catch (e) {
        if (!(e instanceof HubSpotError)) throw e;
        prepared.push(e);
      }
    }
    const failures = prepared.filter((p): p is HubSpotError => p instanceof HubSpotError);
    const traced = inputs.every((i) => i.objectWriteTraceId !== undefined);
    if (failures.length > 0 && !traced) throw failures[0];
    const source = principalOf(req);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    prepared.forEach((p, i) => {
      if (p instanceof HubSpotError) {
        errors.push(batchError(p.body.category, p.body.message, { objectWriteTraceId: [String(inputs[i]?.objectWriteTraceId)] }));
      } else {
        const row = records.create(type, p, source);
        results.push({ ...records.serialize(type, row, 'all'), ...(inputs[i]?.objectWriteTraceId ? { objectWriteTraceId: inputs[i]?.objectWriteTraceId } : {}) });
      }
    });
    return reply.code(errors.length > 0 ? 207 : 201).send(batchEnvelope(startedAt, results, errors));
  });

  app.post('/crm/v3/objects/:objectType/batch/read', async (req, reply) => {
    const type = objectTypeOf(req);
    const startedAt = new Date().toISOString();
    const body = limited(parseBody(ReadInputs, req.body));
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const { id } of body.inputs) {
      const row = records.find(type, id, body.idProperty);
      if (row) results.push(records.serialize(type, row, body.properties));
      else missing.push(id);
    }
    return answer(reply, startedAt, results, missing.length > 0 ? [notFoundError(type, missing)] : []);
  });

  app.post('/crm/v3/objects/:objectType/batch/update', async (req, reply) => {
    const type = objectTypeOf(req);
    const startedAt = new Date().toISOString();
    const { inputs } = limited(parseBody(UpdateInputs, req.body));
    const missing: string[] = [];
    const planned = inputs.flatMap((input) => {
      const row = records.find(type, input.id, input.idProperty);
      if (!row) {
        missing.push(input.id);
        return [];
      }
      return [{ row, values: records.prepareUpdate(type, row.id, input.properties) }];
    });
    const source = principalOf(req);
    const results = planned.map(({ row, values }) => records.serialize(type, records.update(type, row, values, source), 'all'));
    return answer(reply, startedAt, results, missing.length > 0 ? [notFoundError(type, missing)] : []);
  });

  app.post('/crm/v3/objects/:objectType/batch/upsert', async (req, reply) => upsert(req, reply, records));

  app.post('/crm/v3/objects/:objectType/batch/archive', async (req, reply) => {
    const type = objectTypeOf(req);
    const { inputs } = limited(parseBody(ArchiveInputs, req.body));
    const source = principalOf(req);
    for (const { id } of inputs) records.archive(type, id, source);
    return reply.code(204).send();
  });
}

/** Upsert by a unique property: for contacts, `email` (HubSpot then needs every input to carry one). */
async function upsert(req: FastifyRequest, reply: FastifyReply, records: CrmRecords) {
  const type = objectTypeOf(req);
  const startedAt = new Date().toISOString();
  const { inputs } = limited(parseBody(UpsertInputs, req.body));
  const seen = new Set<string>();
  type Step = { row: CrmRecord; values: Record<string, string | null> } | { prepared: Prepared };
  const plan = inputs.map((input): Step => {
    if (!(type === 'contacts' && input.idProperty === 'email') && input.idProperty !== 'hs_object_id')
      throw HubSpotError.of(400, `${input.idProperty} is not a unique identifier property of ${type}; upsert needs one (email for contacts)`);
    const key = input.idProperty === 'email' ? input.id.toLowerCase() : input.id;
    if (seen.has(key)) throw HubSpotError.of(400, `Duplicate IDs found in batch input: [${input.id}]. IDs must be unique`);
    seen.add(key);
    const row = records.find(type, input.id, input.idProperty);
    if (row) return { row, values: records.prepareUpdate(type, row.id, input.properties) };
    if (input.idProperty === 'hs_object_id') throw HubSpotError.of(400, `Cannot create a ${OBJECTS[type].singular} with a given hs_object_id (${input.id})`);
    return { prepared: records.prepareCreate(type, { ...input.properties, email: input.id }) };
  });
  const source = principalOf(req);
  const results = plan.map((p) =>
    'row' in p
      ? { ...records.serialize(type, records.update(type, p.row, p.values, source), 'all'), new: false }
      : { ...records.serialize(type, records.create(type, p.prepared, source), 'all'), new: true },
  );
  return answer(reply, startedAt, results, []);
}

function answer(reply: FastifyReply, startedAt: string, results: unknown[], errors: unknown[]) {
  return reply.code(errors.length > 0 ? 207 : 200).send(batchEnvelope(startedAt, results, errors));
}

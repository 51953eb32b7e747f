import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HubSpotError } from '../errors.js';
import { resolveObjectType, type ObjectType } from '../objects.js';

export function objectTypeOf(req: FastifyRequest, param = 'objectType'): ObjectType {
  const name = (req.params as Record<string, string>)[param] ?? '';
  const type = resolveObjectType(name);
  if (!type) throw HubSpotError.of(400, `Unable to infer object type from: ${name}`, { context: { type: [name] } });
  return type;
}

export const PropertyValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const AssociationSpecSchema = z.object({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED', 'WORK']),
  associationTypeId: z.number().int(),
});

export const InlineAssociations = z.array(z.object({ to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }), types: z.array(AssociationSpecSchema) }));

/** The batch envelope HubSpot answers with: `{status, results, startedAt, completedAt, errors?, numErrors?}`. */
export function batchEnvelope(startedAt: string, results: unknown[], errors: unknown[]) {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  };
}

/** One failed input inside a batch answer (HubSpot's StandardError). */
export function batchError(category: string, message: string, context: Record<string, string[]>) {
  return { status: 'error', category, message, context, errors: [], links: {} };
}

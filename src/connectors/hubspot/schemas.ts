import { z } from 'zod';

/** HubSpot's answers, parsed as HubSpot words them before anything is mapped to crm-sync's terms. */

const Id = z.union([z.string(), z.number()]).transform(String);

export const HubSpotObject = z.object({
  id: Id,
  properties: z.record(z.string(), z.string().nullable()).default({}),
  new: z.boolean().optional(),
  objectWriteTraceId: z.string().optional(),
});
export type HubSpotObject = z.infer<typeof HubSpotObject>;

/** One failed input of a batch (HubSpot's StandardError). */
export const BatchError = z.object({
  category: z.string().optional(),
  message: z.string().default(''),
  context: z.record(z.string(), z.array(z.string())).optional(),
});
export type BatchError = z.infer<typeof BatchError>;

/** `{status, results, errors?}` of every batch endpoint, also with 207. */
export const BatchAnswer = z.object({
  results: z.array(HubSpotObject).default([]),
  errors: z.array(BatchError).optional(),
});

export const SearchAnswer = z.object({
  total: z.number().optional(),
  results: z.array(HubSpotObject),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** The error envelope `{status:"error", message, category, errors?}`. */
export const ErrorBody = z.object({
  message: z.string().default(''),
  category: z.string().optional(),
  errors: z
    .array(z.object({ message: z.string().optional(), code: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() }))
    .optional(),
});

export const OwnersAnswer = z.object({
  results: z.array(z.object({ id: Id, email: z.string().optional() })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export const PropertyDefinition = z.object({
  name: z.string(),
  label: z.string().default(''),
  type: z.string(),
  fieldType: z.string().default(''),
  options: z.array(z.object({ value: z.string(), hidden: z.boolean().optional() })).default([]),
  calculated: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
  archived: z.boolean().optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).optional(),
});
export const PropertiesAnswer = z.object({ results: z.array(PropertyDefinition) });

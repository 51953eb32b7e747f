import { parseVendorAnswer } from '../http/answers.js';
import { z } from 'zod';

/**
 * AutoChat CRM's answers (docs/autochat-api.md), parsed as AutoChat words them before anything
 * is mapped to crm-sync's terms. Only what we read is checked; other fields pass.
 */

const NAME = 'AutoChat CRM';

/** A validation refusal: `{error: {code, message, details: [{field, message}]}}`. */
export const ApiError = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  details: z.array(z.looseObject({ field: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const Client = z.looseObject({ id: z.string() });

/** `{data, next_cursor}`: one page of a list. */
export const Page = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item), next_cursor: z.string().nullish() });

export const User = z.looseObject({ id: z.string(), email: z.string() });

export const FieldDef = z.looseObject({
  key: z.string(),
  label: z.string(),
  // A type added later reads as 'other' (describeContactProperties), not as a broken answer.
  type: z.string(),
  options: z.array(z.string()).nullish(),
});
export type FieldDef = z.infer<typeof FieldDef>;

const Term = z.looseObject({ client: z.looseObject({ id: z.string() }).nullable() });
/** POST /clients/lookup: the oldest client holding each e-mail and phone asked about. */
export const Lookup = z.looseObject({
  emails: z.array(Term.extend({ email: z.string() })),
  phones: z.array(Term.extend({ phone: z.string() })),
});

/** A batch item AutoChat refused, with its reasons. */
const Failed = z.looseObject({ index: z.number().int(), status: z.literal('failed'), error: ApiError.optional() });

/** POST /clients/batch: one result per client sent, by its index; a written one carries the client. */
export const ClientBatch = z.looseObject({
  data: z.array(z.discriminatedUnion('status', [z.looseObject({ index: z.number().int(), status: z.enum(['created', 'updated']), client: Client }), Failed])),
});
export type ClientBatch = z.infer<typeof ClientBatch>;

/** POST /activities/batch: `existing` when the idempotency key was seen before. */
export const ActivityBatch = z.looseObject({
  data: z.array(z.discriminatedUnion('status', [z.looseObject({ index: z.number().int(), status: z.enum(['created', 'existing']), activity: z.looseObject({ id: z.string() }) }), Failed])),
});
export type ActivityBatch = z.infer<typeof ActivityBatch>;

/**
 * What AutoChat answered, parsed with its schema. An answer in another shape is not something
 * a retry fixes (the server speaks another version, or is not AutoChat): the error says so and
 * names the first field that was off.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  return parseVendorAnswer(NAME, schema, body, what, { hint: 'check that the server URL is an AutoChat CRM API' });
}

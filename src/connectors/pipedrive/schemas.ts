import { parseVendorAnswer } from '../http/answers.js';
import { z } from 'zod';

/**
 * Pipedrive's answers (v1 and v2), parsed as Pipedrive words them before anything is mapped to
 * crm-sync's terms. Only what we read is checked; other fields pass.
 */

const NAME = 'Pipedrive';

/** `{success, data, additional_data}`: every answer's envelope; `data` is parsed on its own. */
export const Envelope = z.looseObject({ data: z.unknown(), additional_data: z.record(z.string(), z.unknown()).nullish().catch(undefined) });

/** A write whose answer we do not read (a refusal comes as a failed status). */
export const Ignored = z.unknown();

export const Created = z.looseObject({ id: z.number() });

const Point = z.looseObject({ value: z.string(), primary: z.boolean(), label: z.string() });
const CustomFields = z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {});

export const PersonV2 = z.looseObject({
  id: z.number(),
  name: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  org_id: z.number().nullish().transform((v) => v ?? null),
  owner_id: z.number().nullish().transform((v) => v ?? null),
  emails: z.array(Point).nullish().transform((v) => v ?? []),
  phones: z.array(Point).nullish().transform((v) => v ?? []),
  custom_fields: CustomFields,
});
export type PersonV2 = z.infer<typeof PersonV2>;

export const OrganizationV2 = z.looseObject({ id: z.number(), name: z.string(), custom_fields: CustomFields });
export type OrganizationV2 = z.infer<typeof OrganizationV2>;

export const DealV2 = z.looseObject({
  id: z.number(),
  status: z.string().optional(),
  person_id: z.number().nullish().transform((v) => v ?? null),
  update_time: z.string().nullish(),
  custom_fields: CustomFields,
});
export type DealV2 = z.infer<typeof DealV2>;

export const User = z.looseObject({ id: z.number(), email: z.string(), active_flag: z.boolean().optional() });
export const OwnField = z.looseObject({ key: z.string(), name: z.string() });
export const Note = z.looseObject({ id: z.number(), content: z.string().nullish() });
export const Activity = z.looseObject({ id: z.number(), note: z.string().nullish() });

/** A v2 search: the items found, best first. */
export const SearchAnswer = z.looseObject({ items: z.array(z.looseObject({ item: z.looseObject({ id: z.number() }) })).optional() }).nullish();

/** /users/me, for the connection's account line. */
const Shown = z.string().optional().catch(undefined);
export const Me = z.looseObject({ data: z.looseObject({ email: Shown, name: Shown, company_name: Shown, company_domain: Shown }).optional().catch(undefined) });

/** v1 pagination in additional_data. */
export const Pagination = z.looseObject({ more_items_in_collection: z.boolean().optional(), next_start: z.number().optional() }).optional().catch(undefined);

/**
 * What Pipedrive answered `what` with, parsed with its schema. An answer in another shape is
 * not something a retry fixes: the error says so and names the first field that was off.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string, at: string[] = []): z.infer<S> {
  return parseVendorAnswer(NAME, schema, body, what, { at });
}

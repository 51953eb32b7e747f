import { parseVendorAnswer } from '../http/answers.js';
import { z } from 'zod';
import { ODOO } from './facts.js';

/**
 * Odoo's answers, parsed as Odoo words them before anything is mapped to crm-sync's terms. A
 * record read back holds the fields asked for; only those we compare or keep are checked, the
 * rest pass. Odoo reads an empty char, text or many2one field as `false`.
 */

export const Id = z.number().int();

/** A char field: its text, or false when empty. */
export const Text = z.union([z.string(), z.literal(false)]);

/** A record of search_read: its id and whatever else was asked for. */
export const Row = z.looseObject({ id: Id });
export const rowWith = <S extends z.ZodRawShape>(shape: S) => Row.extend(shape);

/** A many2one read back as `[id, "name"]`, or false when empty. */
export const Many2one = z.union([z.tuple([Id]).rest(z.unknown()), z.literal(false)]);

/** `write` answers true; nothing in it is read (a refusal comes as an error). */
export const Written = z.unknown();

/** `create` with a vals_list: the new ids, one per record sent, in order. */
export const createdIds = (count: number) => z.array(Id).length(count);

/** res.partner's fields_get: field name -> what we read of its definition. */
export const FieldsAnswer = z.record(
  z.string(),
  z.looseObject({
    type: z.string(),
    string: z.string(),
    readonly: z.boolean().optional(),
    // [value, label] pairs; a module may key a selection by numbers, which are written as text.
    selection: z.array(z.tuple([z.union([z.string(), z.number()]).transform(String), z.unknown()])).optional(),
  }),
);

/** common.version; an answer without a version is a server that is not Odoo's /jsonrpc, not an error. */
export const VersionAnswer = z.looseObject({
  server_version_info: z.array(z.unknown()).optional().catch(undefined),
  server_serie: z.string().optional().catch(undefined),
});

/** common.authenticate: the user id, or false when the login or key is refused. */
export const AuthenticateAnswer = z.union([Id, z.literal(false)]);

/** res.users read back by the connection check; `id` is absent from execute_kw's read only when not asked for. */
export const UsersAnswer = z.array(z.looseObject({ id: Id.optional(), name: z.string().optional(), login: z.string().optional() }));

/** JSON-2's error body: the Python exception's name and message. */
export const Json2Error = z.looseObject({ name: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined) });

/**
 * The /jsonrpc envelope: HTTP 200 either way, with `result`, or `error.data` carrying the
 * Python exception's name and message.
 */
export const JsonRpcAnswer = z.looseObject({
  result: z.unknown().optional(),
  // The error's words only name the failure: one we cannot read leaves them out, not the error.
  error: z
    .looseObject({
      code: z.unknown(),
      message: z.string().optional().catch(undefined),
      data: z.looseObject({ name: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined) }).optional().catch(undefined),
    })
    .optional(),
});
export type JsonRpcAnswer = z.infer<typeof JsonRpcAnswer>;

/**
 * What Odoo answered `what` (e.g. `res.partner.search_read`) with, parsed with its schema. An
 * answer in another shape is not something a retry fixes (a module changed a method, or the
 * server is not Odoo): the error says so and names the first field that was off.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  return parseVendorAnswer(ODOO.name, schema, body, what);
}

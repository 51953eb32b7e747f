import { parseVendorAnswer } from '../http/answers.js';
import { z } from 'zod';
import { CrmError } from '../errors.js';

/**
 * Dataverse Web API answers, parsed as Dataverse words them before anything is mapped to
 * crm-sync's terms. Rows hold the columns asked for ($select); only those we compare or keep
 * are checked, the rest (annotations such as @odata.etag) pass.
 */

const NAME = 'Microsoft Dynamics 365';

/** A lookup or text column read back: its value, or null when empty. */
const Nullable = z.string().nullish();

/** One page of an entity set: its rows and, when more follow, the link to the next page. */
export const Page = <T extends z.ZodType>(row: T) => z.looseObject({ value: z.array(row), '@odata.nextLink': z.string().optional() });

/** A row whose columns are compared by name (matching, replays). */
export const AnyRow = z.record(z.string(), z.unknown());

export const UserRow = z.looseObject({ systemuserid: z.string(), internalemailaddress: Nullable });
export const Opportunity = z.looseObject({ opportunityid: z.string() });
export const OpportunityRow = Opportunity.extend({ _parentcontactid_value: Nullable });
export const AccountRow = z.looseObject({ accountid: z.string(), accountnumber: Nullable, websiteurl: Nullable });
/** An account found by its name, for a contact's company. */
export const NamedAccountRow = z.looseObject({ accountid: z.string(), name: z.string() });

/** A label is only shown; one we cannot read leaves the column named by its logical name. */
const Label = z.looseObject({ UserLocalizedLabel: z.looseObject({ Label: z.string().optional() }).nullish() }).nullish().catch(undefined);

/** EntityDefinitions(...)/Attributes: a table's columns. */
export const Attribute = z.looseObject({
  LogicalName: z.string(),
  AttributeType: z.string(),
  DisplayName: Label,
  IsValidForCreate: z.boolean().nullish(),
  IsValidForUpdate: z.boolean().nullish(),
  AttributeOf: Nullable,
  DateTimeBehavior: z.looseObject({ Value: z.string().optional() }).nullish().catch(undefined),
});

/** The choice columns with their options; a choice is written by its number. */
export const Picklist = z.looseObject({
  LogicalName: z.string(),
  OptionSet: z.looseObject({ Options: z.array(z.looseObject({ Value: z.number() })).optional() }).nullish(),
});

export const Column = z.looseObject({ LogicalName: z.string() });

/** The claims of an Azure AD id_token we read: the tenant, a GUID. */
export const IdTokenClaims = z.looseObject({ tid: z.string().regex(/^[0-9a-f-]{36}$/i) });

/** WhoAmI(): the user the token acts as, in its organization. */
export const WhoAmI = z.looseObject({ UserId: z.string(), OrganizationId: z.string() });

/** A systemuser read for the connection's account line; only shown. */
export const UserName = z.looseObject({ fullname: Nullable.catch(undefined), internalemailaddress: Nullable.catch(undefined) });

/**
 * What Dataverse answered `what` (an entity set, or a call) with, parsed with its schema. An
 * answer in another shape is not something a retry fixes (the URL is not a Dataverse Web API,
 * or it speaks another version): the error says so and names the first field that was off.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  return parseVendorAnswer(NAME, schema, body, what, { hint: DATAVERSE_HINT });
}

/** The error for an answer we cannot read, in words that name the CRM. */
export const malformed = (what: string, body?: unknown) => new CrmError('malformed', `${NAME} ${what}; ${DATAVERSE_HINT}.`, { body });

const DATAVERSE_HINT = 'check that the environment URL is a Dataverse Web API (v9.2)';

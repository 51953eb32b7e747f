import type { CrmProperty, CrmRef, OutboundContext } from '../outbound.js';
import { callDynamics, literal, query } from './api.js';
import { newClientSet, PEOPLE } from './people.js';

/** An enabled user with this primary e-mail (Dataverse compares without case). */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const e = email.trim().toLowerCase();
  if (!e) return undefined;
  const rows = await query<{ systemuserid: string; isdisabled?: boolean }>(ctx, 'systemusers', { $select: 'systemuserid,isdisabled', $filter: `internalemailaddress eq ${literal(e)}` });
  return rows.find((r) => r.isdisabled !== true)?.systemuserid;
}

/** The contact's open opportunity (statecode 0), the latest first. */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'contacts' || !/^[0-9a-f-]{36}$/i.test(contact.id)) return undefined;
  const rows = await query<{ opportunityid: string }>(ctx, 'opportunities', {
    $select: 'opportunityid',
    $filter: `_parentcontactid_value eq ${contact.id} and statecode eq 0`,
    $orderby: 'createdon desc',
    $top: '1',
  });
  return rows[0] ? { object: 'opportunities', id: rows[0].opportunityid } : undefined;
}

interface Attribute {
  LogicalName: string;
  AttributeType: string;
  DisplayName?: { UserLocalizedLabel?: { Label?: string } | null };
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
  AttributeOf?: string | null;
  DateTimeBehavior?: { Value?: string } | null;
}
interface Option {
  Value: number;
  Label?: { UserLocalizedLabel?: { Label?: string } | null };
}

const TYPES: Record<string, CrmProperty['type']> = {
  String: 'string',
  Memo: 'string',
  Integer: 'number',
  BigInt: 'number',
  Decimal: 'number',
  Double: 'number',
  Money: 'number',
  Boolean: 'boolean',
  DateTime: 'datetime',
  Picklist: 'picklist',
  State: 'picklist',
  Status: 'picklist',
};

/**
 * The columns of the table new clients go to (lead or contact, as the connection chooses), for
 * field mappings: types, and for choices their option values (Dataverse writes a choice by its
 * number, so the options are the numbers as text). Read once per connection and table.
 */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  const table = PEOPLE[newClientSet(ctx)].logicalName;
  const key = `dynamics:properties:${table}`;
  const cached = ctx.cache.get(key) as CrmProperty[] | undefined;
  if (cached) return cached;
  const base = `${ctx.apiBase}/EntityDefinitions(LogicalName='${table}')/Attributes`;
  const attributes = ((await callDynamics(ctx, { url: base })).body as { value: Attribute[] }).value;
  const picklists = ((await callDynamics(ctx, { url: `${base}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`, query: { $select: 'LogicalName', $expand: 'OptionSet' } })).body as {
    value: { LogicalName: string; OptionSet?: { Options?: Option[] } }[];
  }).value;
  const options = new Map(picklists.map((p) => [p.LogicalName, (p.OptionSet?.Options ?? []).map((o) => String(o.Value))]));
  const props = attributes
    .filter((a) => !a.AttributeOf)
    .map((a): CrmProperty => ({
      name: a.LogicalName,
      label: a.DisplayName?.UserLocalizedLabel?.Label ?? a.LogicalName,
      type: a.AttributeType === 'DateTime' && a.DateTimeBehavior?.Value === 'DateOnly' ? 'date' : (TYPES[a.AttributeType] ?? 'other'),
      ...(options.has(a.LogicalName) ? { options: options.get(a.LogicalName) } : {}),
      readOnly: a.IsValidForCreate === false && a.IsValidForUpdate === false,
    }));
  ctx.cache.set(key, props);
  return props;
}

/** A table's column names (logical names), once per connection. */
export async function columnsOf(ctx: OutboundContext, table: string): Promise<Set<string>> {
  const key = `dynamics:columns:${table}`;
  const cached = ctx.cache.get(key) as Set<string> | undefined;
  if (cached) return cached;
  const url = `${ctx.apiBase}/EntityDefinitions(LogicalName='${table}')/Attributes`;
  const rows = ((await callDynamics(ctx, { url, query: { $select: 'LogicalName' } })).body as { value: { LogicalName: string }[] }).value;
  const names = new Set(rows.map((r) => r.LogicalName));
  ctx.cache.set(key, names);
  return names;
}

import type { CrmProperty, CrmRef, OutboundContext } from '../outbound.js';
import { callDynamics, literal, query } from './api.js';

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
 * The contact table's columns: types, and for choices their option values (Dataverse writes a
 * choice by its number, so the options are the numbers as text). Read once per connection.
 */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  const cached = ctx.cache.get('dynamics:contact-properties') as CrmProperty[] | undefined;
  if (cached) return cached;
  const base = `${ctx.apiBase}/EntityDefinitions(LogicalName='contact')/Attributes`;
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
  ctx.cache.set('dynamics:contact-properties', props);
  return props;
}

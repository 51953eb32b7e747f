import type { CrmProperty, CrmRef, OutboundContext } from '../outbound.js';
import { anyOf, callDynamics, chunksWithin, query, valueCost } from './api.js';
import { newClientSet, PEOPLE } from './people.js';
import { queryMany } from './reads.js';
import { Attribute, Column, OpportunityRow, Page, parseAnswer, Picklist, UserRow } from './schemas.js';

const OWNERS = 'dynamics:owners';
/** A user added or disabled in Dynamics is seen within this long. */
const OWNERS_TTL_MS = 10 * 60_000;

/**
 * The enabled user with this primary e-mail (compared without case, as Dataverse does). The
 * organization's enabled users are listed once (their id and e-mail only; a page holds 5,000)
 * and kept for ten minutes: one call for every e-mail a sync meets, instead of one per e-mail.
 */
export async function findOwnerByEmail(ctx: OutboundContext, email: string): Promise<string | undefined> {
  const e = email.trim().toLowerCase();
  if (!e) return undefined;
  return (await usersByEmail(ctx)).get(e);
}

async function usersByEmail(ctx: OutboundContext): Promise<Map<string, string>> {
  const cached = ctx.cache.get(OWNERS) as { at: number; users: Map<string, string> } | undefined;
  if (cached && Date.now() - cached.at < OWNERS_TTL_MS) return cached.users;
  const rows = await query(
    ctx,
    'systemusers',
    {
      $select: 'systemuserid,internalemailaddress',
      $filter: 'isdisabled eq false and internalemailaddress ne null',
      // The oldest first, so that of two users sharing an e-mail every run picks the same one.
      $orderby: 'createdon asc',
    },
    UserRow,
  );
  const users = new Map<string, string>();
  for (const r of rows) {
    const e = r.internalemailaddress?.trim().toLowerCase();
    if (e && !users.has(e)) users.set(e, r.systemuserid);
  }
  ctx.cache.set(OWNERS, { at: Date.now(), users });
  return users;
}

const isRowId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/** The contact's open opportunity (statecode 0), the latest first. */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  return (await findOpenDeals(ctx, [contact])).get(contact.id);
}

/**
 * The open opportunities (statecode 0) of many contacts, the latest for each: one query per
 * run of contact ids that fits a URL, all in one call. Leads have no opportunity of theirs
 * (one is made when a lead is qualified, for the contact it becomes), so they cost nothing.
 */
export async function findOpenDeals(ctx: OutboundContext, contacts: CrmRef[]): Promise<Map<string, CrmRef>> {
  const ids = [...new Set(contacts.filter((c) => c.object === 'contacts' && isRowId(c.id)).map((c) => c.id.toLowerCase()))];
  const compare = (id: string) => `_parentcontactid_value eq ${id}`;
  const runs = chunksWithin(ids, (id) => valueCost(compare(id), ' or '));
  const answers = await queryMany(
    ctx,
    runs.map((run) => ({
      set: 'opportunities',
      params: { $select: 'opportunityid,_parentcontactid_value', $filter: `statecode eq 0 and ${anyOf(run, compare)}`, $orderby: 'createdon desc' },
    })),
    OpportunityRow,
  );
  const found = new Map<string, CrmRef>();
  const byId = new Map(contacts.map((c) => [c.id.toLowerCase(), c.id] as const));
  for (const r of answers.flat()) {
    const contact = byId.get(String(r._parentcontactid_value ?? '').toLowerCase());
    if (contact && !found.has(contact)) found.set(contact, { object: 'opportunities', id: r.opportunityid });
  }
  return found;
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
  const what = `the columns of ${table}`;
  const attributes = parseAnswer(Page(Attribute), (await callDynamics(ctx, { url: base })).body, what).value;
  const choices = await callDynamics(ctx, { url: `${base}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`, query: { $select: 'LogicalName', $expand: 'OptionSet' } });
  const picklists = parseAnswer(Page(Picklist), choices.body, `the choices of ${table}`).value;
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
  const rows = parseAnswer(Page(Column), (await callDynamics(ctx, { url, query: { $select: 'LogicalName' } })).body, `the columns of ${table}`).value;
  const names = new Set(rows.map((r) => r.LogicalName));
  ctx.cache.set(key, names);
  return names;
}

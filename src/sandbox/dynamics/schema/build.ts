import type { AttributeDef, EntityDef, EntityKeyDef, OptionDef, RequiredLevel } from './types.js';

/**
 * Small builders for column definitions, so each table reads like its metadata page:
 * `text('firstname', 'FirstName', 'First Name', 50)`.
 */
type Extra = Partial<Omit<AttributeDef, 'logicalName' | 'schemaName' | 'displayName' | 'type'>>;

function attr(logicalName: string, schemaName: string, displayName: string, type: AttributeDef['type'], extra: Extra = {}): AttributeDef {
  return { logicalName, schemaName, displayName, type, requiredLevel: 'None', custom: logicalName.startsWith('cs_'), readOnly: false, ...extra };
}

export const text = (l: string, s: string, d: string, maxLength: number, extra: Extra = {}) =>
  attr(l, s, d, 'String', { maxLength, format: 'Text', ...extra });
export const email = (l: string, s: string, d: string) => text(l, s, d, 100, { format: 'Email' });
export const phone = (l: string, s: string, d: string) => text(l, s, d, 50, { format: 'Phone' });
export const memo = (l: string, s: string, d: string, maxLength = 2000, extra: Extra = {}) =>
  attr(l, s, d, 'Memo', { maxLength, format: 'TextArea', ...extra });
export const whole = (l: string, s: string, d: string, extra: Extra = {}) =>
  attr(l, s, d, 'Integer', { minValue: -2147483648, maxValue: 2147483647, ...extra });
export const money = (l: string, s: string, d: string) => attr(l, s, d, 'Money', { minValue: -922337203685477, maxValue: 922337203685477 });
export const yesNo = (l: string, s: string, d: string, extra: Extra = {}) => attr(l, s, d, 'Boolean', extra);
export const dateTime = (l: string, s: string, d: string, extra: Extra = {}) => attr(l, s, d, 'DateTime', { format: 'DateAndTime', ...extra });
export const dateOnly = (l: string, s: string, d: string) => attr(l, s, d, 'DateTime', { format: 'DateOnly' });
export const choice = (l: string, s: string, d: string, options: OptionDef[], extra: Extra = {}) =>
  attr(l, s, d, 'Picklist', { options, ...extra });
export const lookup = (l: string, s: string, d: string, navigation: Record<string, string>, extra: Extra = {}) =>
  attr(l, s, d, 'Lookup', { navigation, ...extra });
export const customer = (l: string, s: string, d: string, navigation: Record<string, string>) =>
  attr(l, s, d, 'Customer', { navigation });
export const guid = (l: string, s: string, d: string, extra: Extra = {}) => attr(l, s, d, 'Uniqueidentifier', extra);
export const entityName = (l: string, s: string, d: string) => attr(l, s, d, 'EntityName', { readOnly: true });

export const options = (...labels: [number, string][]): OptionDef[] => labels.map(([value, label]) => ({ value, label }));

export interface EntitySpec {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  objectTypeCode: number;
  primaryId?: string;
  primaryName: string;
  isActivity?: boolean;
  /** statecode options, and statuscode options each tied to a state. */
  states?: OptionDef[];
  statuses?: OptionDef[];
  /** Owned by a user (ownerid) like most business tables; false for organization-owned ones. */
  userOwned?: boolean;
  attributes: AttributeDef[];
  keys?: EntityKeyDef[];
}

/** A table with the columns every Dataverse table has: id, audit stamps, owner, state, version. */
export function entity(spec: EntitySpec): EntityDef {
  const primaryId = spec.primaryId ?? `${spec.logicalName}id`;
  const sys = (a: AttributeDef, requiredLevel: RequiredLevel = 'None') => ({ ...a, readOnly: true, requiredLevel });
  const systemUser = { createdby: 'systemuser' };
  const attributes: AttributeDef[] = [
    guid(primaryId, spec.isActivity ? 'ActivityId' : `${spec.schemaName}Id`, spec.displayName, { requiredLevel: 'SystemRequired' }),
    ...spec.attributes,
    sys(dateTime('createdon', 'CreatedOn', 'Created On')),
    sys(dateTime('modifiedon', 'ModifiedOn', 'Modified On')),
    sys(lookup('createdby', 'CreatedBy', 'Created By', systemUser)),
    sys(lookup('modifiedby', 'ModifiedBy', 'Modified By', { modifiedby: 'systemuser' })),
    { ...attr('versionnumber', 'VersionNumber', 'Version Number', 'BigInt'), readOnly: true },
  ];
  if (spec.userOwned !== false) {
    attributes.push({
      ...attr('ownerid', 'OwnerId', 'Owner', 'Owner', { navigation: { ownerid: 'systemuser' } }),
      requiredLevel: 'SystemRequired',
    });
  }
  if (spec.states && spec.statuses) {
    attributes.push({ ...attr('statecode', 'StateCode', 'Status', 'State', { options: spec.states }), requiredLevel: 'SystemRequired' });
    attributes.push(attr('statuscode', 'StatusCode', 'Status Reason', 'Status', { options: spec.statuses }));
  }
  return {
    logicalName: spec.logicalName,
    schemaName: spec.schemaName,
    entitySetName: spec.entitySetName,
    displayName: spec.displayName,
    displayCollectionName: spec.displayCollectionName,
    objectTypeCode: spec.objectTypeCode,
    primaryId,
    primaryName: spec.primaryName,
    isActivity: spec.isActivity ?? false,
    custom: false,
    attributes,
    keys: spec.keys ?? [],
  };
}

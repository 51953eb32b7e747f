/**
 * Table (entity) and column (attribute) definitions, the way Dataverse describes them in
 * its metadata: logical names are what the Web API uses, schema names what metadata shows.
 */
export type AttributeType =
  | 'Uniqueidentifier'
  | 'String'
  | 'Memo'
  | 'Integer'
  | 'BigInt'
  | 'Decimal'
  | 'Double'
  | 'Money'
  | 'Boolean'
  | 'DateTime'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'Lookup'
  | 'Customer'
  | 'Owner'
  | 'EntityName';

export type RequiredLevel = 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';

export interface OptionDef {
  value: number;
  label: string;
  /** For status reasons: the state (statecode) the reason belongs to. */
  state?: number;
}

export interface AttributeDef {
  logicalName: string;
  schemaName: string;
  type: AttributeType;
  displayName: string;
  requiredLevel: RequiredLevel;
  custom: boolean;
  /** Set by the platform; a client's value is ignored, as Dataverse ignores it. */
  readOnly: boolean;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  format?: 'Email' | 'Phone' | 'Url' | 'Text' | 'TextArea' | 'DateOnly' | 'DateAndTime';
  options?: OptionDef[];
  /** Lookups: single-valued navigation property → target table. */
  navigation?: Record<string, string>;
  /** Not readable through the API (a service endpoint's auth value). */
  hiddenOnRead?: boolean;
}

export interface EntityKeyDef {
  logicalName: string;
  schemaName: string;
  displayName: string;
  attributes: string[];
}

export interface EntityDef {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  objectTypeCode: number;
  primaryId: string;
  primaryName: string;
  isActivity: boolean;
  custom: boolean;
  attributes: AttributeDef[];
  keys: EntityKeyDef[];
}

export function isLookup(attr: AttributeDef): boolean {
  return attr.type === 'Lookup' || attr.type === 'Customer' || attr.type === 'Owner';
}

/** The Edm type a column has in the Web API (and in $filter comparisons). */
export function edmType(attr: AttributeDef): string {
  switch (attr.type) {
    case 'String':
    case 'Memo':
    case 'EntityName':
      return 'Edm.String';
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status':
      return 'Edm.Int32';
    case 'BigInt':
      return 'Edm.Int64';
    case 'Decimal':
    case 'Money':
      return 'Edm.Decimal';
    case 'Double':
      return 'Edm.Double';
    case 'Boolean':
      return 'Edm.Boolean';
    case 'DateTime':
      return attr.format === 'DateOnly' ? 'Edm.Date' : 'Edm.DateTimeOffset';
    default:
      return 'Edm.Guid';
  }
}

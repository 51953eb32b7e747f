import { createHash } from 'node:crypto';
import { ENTITIES, type AttributeDef, type EntityDef } from '../schema/index.js';
import type { EntityKeyDef, OptionDef } from '../schema/types.js';

/**
 * Table and column definitions in the shapes of Dataverse's metadata entity types
 * (EntityMetadata, AttributeMetadata and its derived types, EntityKeyMetadata, OptionSetMetadata).
 */
export function metadataId(...parts: string[]): string {
  const h = createHash('md5').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function label(text: string, id: string) {
  const localized = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: id, HasChanged: null };
  return { LocalizedLabels: text ? [localized] : [], UserLocalizedLabel: text ? localized : null };
}

const CLASS: Record<AttributeDef['type'], string> = {
  Uniqueidentifier: 'UniqueIdentifierAttributeMetadata',
  String: 'StringAttributeMetadata',
  Memo: 'MemoAttributeMetadata',
  Integer: 'IntegerAttributeMetadata',
  BigInt: 'BigIntAttributeMetadata',
  Decimal: 'DecimalAttributeMetadata',
  Double: 'DoubleAttributeMetadata',
  Money: 'MoneyAttributeMetadata',
  Boolean: 'BooleanAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata',
  Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata',
  Status: 'StatusAttributeMetadata',
  Lookup: 'LookupAttributeMetadata',
  Customer: 'LookupAttributeMetadata',
  Owner: 'LookupAttributeMetadata',
  EntityName: 'EntityNameAttributeMetadata',
};

export const attributeClass = (attr: AttributeDef) => `Microsoft.Dynamics.CRM.${CLASS[attr.type]}`;

export function attributeMetadata(def: EntityDef, attr: AttributeDef): Record<string, unknown> {
  const id = metadataId(def.logicalName, attr.logicalName);
  const out: Record<string, unknown> = {
    '@odata.type': `#${attributeClass(attr)}`,
    MetadataId: id,
    LogicalName: attr.logicalName,
    SchemaName: attr.schemaName,
    EntityLogicalName: def.logicalName,
    AttributeType: attr.type,
    AttributeTypeName: { Value: `${attr.type === 'Uniqueidentifier' ? 'Uniqueidentifier' : attr.type}Type` },
    DisplayName: label(attr.displayName, metadataId(id, 'label')),
    Description: label('', metadataId(id, 'description')),
    RequiredLevel: { Value: attr.requiredLevel, CanBeChanged: !attr.readOnly, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
    IsCustomAttribute: attr.custom,
    IsPrimaryId: attr.logicalName === def.primaryId,
    IsPrimaryName: attr.logicalName === def.primaryName,
    IsValidForCreate: !attr.readOnly,
    IsValidForUpdate: !attr.readOnly && attr.logicalName !== def.primaryId,
    IsValidForRead: !attr.hiddenOnRead,
    IsValidODataAttribute: true,
    IsLogical: false,
    AttributeOf: null,
    ColumnNumber: def.attributes.indexOf(attr) + 1,
  };
  if (attr.maxLength !== undefined) out.MaxLength = attr.maxLength;
  if (attr.format) {
    out.Format = attr.format;
    if (attr.type === 'String' || attr.type === 'Memo') out.FormatName = { Value: attr.format };
  }
  if (attr.type === 'DateTime') out.DateTimeBehavior = { Value: attr.format === 'DateOnly' ? 'DateOnly' : 'UserLocal' };
  if (attr.minValue !== undefined) out.MinValue = attr.minValue;
  if (attr.maxValue !== undefined) out.MaxValue = attr.maxValue;
  if (attr.type === 'Money') out.Precision = 2;
  if (attr.navigation) out.Targets = [...new Set(Object.values(attr.navigation))];
  return out;
}

export function optionSetMetadata(def: EntityDef, attr: AttributeDef): Record<string, unknown> {
  const id = metadataId(def.logicalName, attr.logicalName, 'optionset');
  return {
    MetadataId: id,
    Name: `${def.logicalName}_${attr.logicalName}`,
    IsGlobal: false,
    IsCustomOptionSet: attr.custom,
    OptionSetType: attr.type === 'Picklist' ? 'Picklist' : attr.type,
    DisplayName: label(attr.displayName, metadataId(id, 'label')),
    Options: (attr.options ?? []).map((o: OptionDef) => ({
      Value: o.value,
      Label: label(o.label, metadataId(id, String(o.value))),
      Description: label('', metadataId(id, String(o.value), 'd')),
      Color: null,
      IsManaged: !attr.custom,
      ExternalValue: null,
      ParentValues: [],
      ...(o.state !== undefined ? { State: o.state } : {}),
    })),
  };
}

export function keyMetadata(def: EntityDef, key: EntityKeyDef): Record<string, unknown> {
  return {
    MetadataId: metadataId(def.logicalName, 'key', key.logicalName),
    LogicalName: key.logicalName,
    SchemaName: key.schemaName,
    EntityLogicalName: def.logicalName,
    DisplayName: label(key.displayName, metadataId(def.logicalName, key.logicalName, 'label')),
    KeyAttributes: key.attributes,
    EntityKeyIndexStatus: 'Active',
    IsCustomizable: { Value: true, CanBeChanged: true, ManagedPropertyLogicalName: 'iscustomizable' },
    IsManaged: false,
  };
}

export function entityMetadata(def: EntityDef): Record<string, unknown> {
  const id = metadataId(def.logicalName);
  return {
    MetadataId: id,
    LogicalName: def.logicalName,
    SchemaName: def.schemaName,
    EntitySetName: def.entitySetName,
    LogicalCollectionName: def.entitySetName,
    CollectionSchemaName: `${def.schemaName}s`,
    DisplayName: label(def.displayName, metadataId(id, 'label')),
    DisplayCollectionName: label(def.displayCollectionName, metadataId(id, 'collection')),
    ObjectTypeCode: def.objectTypeCode,
    PrimaryIdAttribute: def.primaryId,
    PrimaryNameAttribute: def.primaryName,
    IsActivity: def.isActivity,
    IsCustomEntity: def.custom,
    OwnershipType: def.attributes.some((a) => a.type === 'Owner') ? 'UserOwned' : 'OrganizationOwned',
    IsValidForAdvancedFind: true,
  };
}

export const allEntities = () => ENTITIES;

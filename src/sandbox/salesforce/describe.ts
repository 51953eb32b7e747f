import type { FieldDef, SObjectDef } from './schema/index.js';
import { SOBJECTS } from './schema/index.js';

/**
 * The describe resources: describeGlobal (`/sobjects`), an object's basic info
 * (`/sobjects/Lead`) and its full describe, with the field properties clients read.
 */
const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  combobox: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(object: SObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return { rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base };
}

/** The object-level facts shared by describeGlobal entries and full describes. */
export function objectSummary(object: SObjectDef, version: string) {
  const custom = object.name.endsWith('__c');
  return {
    activateable: false,
    createable: object.createable,
    custom,
    customSetting: false,
    deletable: object.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: true,
    mergeable: ['Account', 'Contact', 'Lead'].includes(object.name),
    mruEnabled: true,
    name: object.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: object.deletable,
    updateable: object.updateable,
    urls: urls(object, version),
  };
}

export function describeGlobal(version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: SOBJECTS.map((o) => objectSummary(o, version)) };
}

export function describeField(f: FieldDef) {
  const numeric = ['double', 'currency', 'percent'].includes(f.type);
  const textual = !numeric && !['boolean', 'int', 'date', 'datetime'].includes(f.type);
  const nillable = f.type !== 'boolean' && !f.required && f.name !== 'Id';
  return {
    aggregatable: f.type !== 'textarea',
    autoNumber: false,
    byteLength: textual ? f.length * 3 : 0,
    calculated: false,
    caseSensitive: false,
    createable: f.createable,
    custom: f.name.endsWith('__c'),
    defaultValue: f.defaultValue ?? null,
    defaultedOnCreate: f.defaultedOnCreate,
    digits: f.type === 'int' ? 9 : 0,
    externalId: f.externalId,
    filterable: f.type !== 'textarea' || f.length <= 255,
    groupable: !numeric && f.type !== 'textarea' && f.type !== 'datetime',
    idLookup: f.name === 'Id' || f.externalId || f.type === 'email',
    inlineHelpText: null,
    label: f.label,
    length: textual ? f.length : 0,
    name: f.name,
    nameField: f.nameField,
    nillable,
    picklistValues: (f.picklist ?? []).map((value) => ({ active: true, defaultValue: value === f.defaultValue, label: value, validFor: null, value })),
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: numeric ? (f.precision ?? 18) : 0,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName ?? null,
    restrictedPicklist: f.restricted,
    scale: numeric ? (f.scale ?? 2) : 0,
    soapType: SOAP_TYPES[f.type],
    sortable: f.type !== 'textarea' || f.length <= 255,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
  };
}

export function describeObject(object: SObjectDef, version: string, children: { childSObject: string; field: string; relationshipName: string | null }[]) {
  return {
    ...objectSummary(object, version),
    childRelationships: children.map((c) => ({ cascadeDelete: false, childSObject: c.childSObject, deprecatedAndHidden: false, field: c.field, relationshipName: c.relationshipName, restrictedDelete: false })),
    fields: object.fields.map(describeField),
    recordTypeInfos: [
      { active: true, available: true, defaultRecordTypeMapping: true, developerName: 'Master', master: true, name: 'Master', recordTypeId: '012000000000000AAA', urls: { layout: `/services/data/v${version}/sobjects/${object.name}/describe/layouts/012000000000000AAA` } },
    ],
    supportedScopes: [{ label: 'All', name: 'everything' }, { label: 'My', name: 'mine' }],
  };
}

/** Objects with a lookup to `object`, as describe's childRelationships lists them. */
export function childRelationships(object: SObjectDef) {
  const plural: Record<string, string> = { Contact: 'Contacts', Opportunity: 'Opportunities', Task: 'Tasks', Event: 'Events', Note: 'Notes', OpportunityContactRole: 'OpportunityContactRoles', Account: 'ChildAccounts' };
  return SOBJECTS.flatMap((child) =>
    child.fields
      .filter((f) => f.referenceTo.includes(object.name) && !['CreatedById', 'LastModifiedById'].includes(f.name))
      .map((f) => ({ childSObject: child.name, field: f.name, relationshipName: f.name === 'OwnerId' ? null : (plural[child.name] ?? null) })),
  );
}

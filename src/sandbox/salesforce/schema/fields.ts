/**
 * The shape of the fake org's metadata: sObjects and their fields, as data. Describe,
 * validation and SOQL all read it, so a field added here works everywhere.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters of text types. */
  length: number;
  /** Must be given on create (Salesforce: nillable false and not defaulted on create). */
  required: boolean;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  unique: boolean;
  picklist?: string[];
  /** A restricted picklist rejects values outside `picklist`. */
  restricted: boolean;
  defaultValue?: string | boolean;
  referenceTo: string[];
  relationshipName?: string;
  nameField: boolean;
  /** Filled in by the platform when a create leaves it out (OwnerId, Status defaults...). */
  defaultedOnCreate: boolean;
  precision?: number;
  scale?: number;
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
}

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'label' | 'type'>>;

const LENGTHS: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32000,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  combobox: 255,
};

export function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  return {
    name,
    label,
    type,
    length: LENGTHS[type] ?? 0,
    required: false,
    createable: true,
    updateable: true,
    externalId: false,
    unique: false,
    restricted: false,
    referenceTo: [],
    nameField: false,
    defaultedOnCreate: false,
    ...(type === 'currency' || type === 'double' || type === 'percent' ? { precision: 18, scale: 2 } : {}),
    ...options,
  };
}

export const text = (name: string, label: string, length = 255, o: FieldOptions = {}) => field(name, label, 'string', { length, ...o });

export const picklist = (name: string, label: string, values: string[], o: FieldOptions = {}) =>
  field(name, label, 'picklist', { picklist: values, ...o });

export const reference = (name: string, label: string, to: string[], relationshipName: string, o: FieldOptions = {}) =>
  field(name, label, 'reference', { referenceTo: to, relationshipName, ...o });

/** Set by the platform only: neither createable nor updateable. */
export const readonly = (f: FieldDef): FieldDef => ({ ...f, createable: false, updateable: false });

/** The integration key crm-sync writes on people, unique and case-insensitive like the vendor's external ids. */
export const crmSyncId = () => text('CrmSync_Id__c', 'CrmSync Id', 255, { externalId: true, unique: true });

/** Id, ownership and audit fields every object here carries. */
export function systemFields(options: { owner: boolean }): FieldDef[] {
  const fields = [
    readonly(field('Id', 'Record ID', 'id', { defaultedOnCreate: true })),
    readonly(field('IsDeleted', 'Deleted', 'boolean', { defaultedOnCreate: true })),
    readonly(field('CreatedDate', 'Created Date', 'datetime', { defaultedOnCreate: true })),
    readonly(reference('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { defaultedOnCreate: true })),
    readonly(field('LastModifiedDate', 'Last Modified Date', 'datetime', { defaultedOnCreate: true })),
    readonly(reference('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', { defaultedOnCreate: true })),
    readonly(field('SystemModstamp', 'System Modstamp', 'datetime', { defaultedOnCreate: true })),
  ];
  if (options.owner) fields.push(reference('OwnerId', 'Owner ID', ['User'], 'Owner', { defaultedOnCreate: true }));
  return fields;
}

export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const INDUSTRIES = ['Agriculture', 'Banking', 'Communications', 'Consulting', 'Education', 'Energy', 'Finance', 'Healthcare', 'Insurance', 'Manufacturing', 'Media', 'Retail', 'Technology', 'Other'];

/** First and last name, and the read-only full Name the platform composes from them. */
export function personName(): FieldDef[] {
  return [
    text('LastName', 'Last Name', 80, { required: true }),
    text('FirstName', 'First Name', 40),
    picklist('Salutation', 'Salutation', SALUTATIONS),
    readonly(text('Name', 'Full Name', 121, { nameField: true })),
  ];
}

export function address(prefix: string, labelPrefix: string): FieldDef[] {
  return [
    field(`${prefix}Street`, `${labelPrefix}Street`, 'textarea', { length: 255 }),
    text(`${prefix}City`, `${labelPrefix}City`, 40),
    text(`${prefix}State`, `${labelPrefix}State/Province`, 80),
    text(`${prefix}PostalCode`, `${labelPrefix}Zip/Postal Code`, 20),
    text(`${prefix}Country`, `${labelPrefix}Country`, 80),
  ];
}

/**
 * Zoho CRM's module and field metadata as the sandbox's seeded org has it: the
 * standard modules with their system fields, a few custom fields (Chat_Link,
 * WhatsApp_Opt_In) and two custom modules, one with a phone field and one without.
 */
export type ZohoDataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'integer'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'lookup'
  | 'ownerlookup';

export interface ZohoField {
  api_name: string;
  label: string;
  data_type: ZohoDataType;
  mandatory?: boolean;
  unique?: boolean;
  custom?: boolean;
  readOnly?: boolean;
  length?: number;
  picklist?: string[];
  /** Target module of a lookup; 'any' for the polymorphic What_Id / Parent_Id (with $se_module). */
  lookup?: string;
}

export interface ZohoModule {
  api_name: string;
  module_name: string;
  singular_label: string;
  plural_label: string;
  id: string;
  custom: boolean;
  /** The module's system duplicate-check fields, used by upsert when the request names none. */
  duplicateCheck: string[];
  /** The field shown as the record's name in lookups. */
  nameField: string;
  fields: ZohoField[];
}

const t = (api_name: string, label: string, extra: Partial<ZohoField> = {}): ZohoField => ({ api_name, label, data_type: 'text', length: 255, ...extra });
const of = (data_type: ZohoDataType, api_name: string, label: string, extra: Partial<ZohoField> = {}): ZohoField => ({ api_name, label, data_type, ...extra });

const LEAD_SOURCES = ['-None-', 'Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Public Relations', 'Seminar Partner', 'Trade Show', 'Web Download', 'Web Research', 'Chat'];
const SYSTEM: ZohoField[] = [
  of('ownerlookup', 'Owner', 'Lead Owner'),
  of('datetime', 'Created_Time', 'Created Time', { readOnly: true }),
  of('datetime', 'Modified_Time', 'Modified Time', { readOnly: true }),
  of('ownerlookup', 'Created_By', 'Created By', { readOnly: true }),
  of('ownerlookup', 'Modified_By', 'Modified By', { readOnly: true }),
];
const withSystem = (owner: string, fields: ZohoField[]): ZohoField[] => [{ ...SYSTEM[0]!, label: owner }, ...fields, ...SYSTEM.slice(1)];
const description = of('textarea', 'Description', 'Description', { length: 32000 });

const module = (
  id: number,
  api_name: string,
  singular: string,
  fields: ZohoField[],
  extra: Partial<ZohoModule> & Pick<ZohoModule, 'nameField'>,
): ZohoModule => ({
  api_name,
  module_name: api_name,
  singular_label: singular,
  plural_label: api_name.replaceAll('_', ' '),
  id: `6045000000000${String(id).padStart(6, '0')}`,
  custom: false,
  duplicateCheck: [],
  fields,
  ...extra,
});

export const MODULES: ZohoModule[] = [
  module(2175, 'Leads', 'Lead', withSystem('Lead Owner', [
    t('First_Name', 'First Name', { length: 40 }),
    t('Last_Name', 'Last Name', { mandatory: true, length: 80 }),
    t('Full_Name', 'Lead Name', { readOnly: true }),
    t('Company', 'Company', { length: 200 }),
    t('Designation', 'Title', { length: 100 }),
    of('email', 'Email', 'Email', { unique: true }),
    of('email', 'Secondary_Email', 'Secondary Email'),
    of('phone', 'Phone', 'Phone', { length: 30 }),
    of('phone', 'Mobile', 'Mobile', { length: 30 }),
    of('website', 'Website', 'Website'),
    of('picklist', 'Lead_Source', 'Lead Source', { picklist: LEAD_SOURCES }),
    of('picklist', 'Lead_Status', 'Lead Status', { picklist: ['-None-', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'] }),
    t('Street', 'Street'), t('City', 'City', { length: 100 }), t('State', 'State', { length: 100 }), t('Zip_Code', 'Zip Code', { length: 30 }), t('Country', 'Country', { length: 100 }),
    description,
    of('website', 'Chat_Link', 'Chat Link', { custom: true }),
    of('boolean', 'WhatsApp_Opt_In', 'WhatsApp Opt In', { custom: true }),
  ]), { duplicateCheck: ['Email'], nameField: 'Full_Name' }),
  module(2177, 'Contacts', 'Contact', withSystem('Contact Owner', [
    t('First_Name', 'First Name', { length: 40 }),
    t('Last_Name', 'Last Name', { mandatory: true, length: 80 }),
    t('Full_Name', 'Contact Name', { readOnly: true }),
    of('email', 'Email', 'Email', { unique: true }),
    of('phone', 'Phone', 'Phone', { length: 30 }),
    of('phone', 'Mobile', 'Mobile', { length: 30 }),
    of('lookup', 'Account_Name', 'Account Name', { lookup: 'Accounts' }),
    t('Title', 'Title', { length: 100 }),
    t('Department', 'Department', { length: 100 }),
    of('picklist', 'Lead_Source', 'Lead Source', { picklist: LEAD_SOURCES }),
    t('Mailing_Street', 'Mailing Street'), t('Mailing_City', 'Mailing City', { length: 100 }), t('Mailing_Zip', 'Mailing Zip', { length: 30 }), t('Mailing_Country', 'Mailing Country', { length: 100 }),
    description,
    of('website', 'Chat_Link', 'Chat Link', { custom: true }),
  ]), { duplicateCheck: ['Email'], nameField: 'Full_Name' }),
  module(2179, 'Accounts', 'Account', withSystem('Account Owner', [
    t('Account_Name', 'Account Name', { mandatory: true, length: 200 }),
    of('phone', 'Phone', 'Phone', { length: 30 }),
    of('website', 'Website', 'Website'),
    of('picklist', 'Industry', 'Industry', { picklist: ['-None-', 'Communications', 'Consulting', 'Education', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail', 'Technology'] }),
    of('integer', 'Employees', 'Employees'),
    t('Billing_Street', 'Billing Street'), t('Billing_City', 'Billing City', { length: 100 }), t('Billing_Code', 'Billing Code', { length: 30 }), t('Billing_Country', 'Billing Country', { length: 100 }),
    description,
  ]), { duplicateCheck: ['Account_Name'], nameField: 'Account_Name' }),
  module(2181, 'Deals', 'Deal', withSystem('Deal Owner', [
    t('Deal_Name', 'Deal Name', { mandatory: true, length: 120 }),
    of('currency', 'Amount', 'Amount'),
    of('picklist', 'Stage', 'Stage', { mandatory: true, picklist: ['Qualification', 'Needs Analysis', 'Value Proposition', 'Identify Decision Makers', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', 'Closed-Lost to Competition'] }),
    of('date', 'Closing_Date', 'Closing Date', { mandatory: true }),
    of('lookup', 'Account_Name', 'Account Name', { lookup: 'Accounts' }),
    of('lookup', 'Contact_Name', 'Contact Name', { lookup: 'Contacts' }),
    of('integer', 'Probability', 'Probability (%)'),
    of('picklist', 'Lead_Source', 'Lead Source', { picklist: LEAD_SOURCES }),
    description,
  ]), { duplicateCheck: ['Deal_Name'], nameField: 'Deal_Name' }),
  module(2183, 'Notes', 'Note', withSystem('Note Owner', [
    t('Note_Title', 'Note Title', { length: 120 }),
    of('textarea', 'Note_Content', 'Note Content', { mandatory: true, length: 32000 }),
    of('lookup', 'Parent_Id', 'Parent ID', { mandatory: true, lookup: 'any' }),
  ]), { nameField: 'Note_Title' }),
  module(2185, 'Tasks', 'Task', withSystem('Task Owner', [
    t('Subject', 'Subject', { mandatory: true }),
    of('date', 'Due_Date', 'Due Date'),
    of('picklist', 'Status', 'Status', { picklist: ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'] }),
    of('picklist', 'Priority', 'Priority', { picklist: ['High', 'Highest', 'Low', 'Lowest', 'Normal'] }),
    of('lookup', 'Who_Id', 'Contact Name', { lookup: 'Contacts' }),
    of('lookup', 'What_Id', 'Related To', { lookup: 'any' }),
    description,
  ]), { nameField: 'Subject' }),
  module(2187, 'Calls', 'Call', withSystem('Call Owner', [
    t('Subject', 'Subject', { mandatory: true }),
    of('picklist', 'Call_Type', 'Call Type', { mandatory: true, picklist: ['Outbound', 'Inbound', 'Missed'] }),
    of('datetime', 'Call_Start_Time', 'Call Start Time', { mandatory: true }),
    t('Call_Duration', 'Call Duration', { length: 10 }),
    of('picklist', 'Call_Purpose', 'Call Purpose', { picklist: ['-None-', 'Prospecting', 'Administrative', 'Negotiation', 'Demo', 'Project', 'Desk'] }),
    of('lookup', 'Who_Id', 'Contact Name', { lookup: 'Contacts' }),
    of('lookup', 'What_Id', 'Related To', { lookup: 'any' }),
    description,
  ]), { nameField: 'Subject' }),
  module(2189, 'Events', 'Meeting', withSystem('Host', [
    t('Event_Title', 'Title', { mandatory: true }),
    of('datetime', 'Start_DateTime', 'From', { mandatory: true }),
    of('datetime', 'End_DateTime', 'To', { mandatory: true }),
    t('Venue', 'Location'),
    of('boolean', 'All_day', 'All day'),
    of('lookup', 'Who_Id', 'Contact Name', { lookup: 'Contacts' }),
    of('lookup', 'What_Id', 'Related To', { lookup: 'any' }),
    description,
  ]), { nameField: 'Event_Title', module_name: 'Events', plural_label: 'Meetings' }),
  module(5001, 'Chat_Sessions', 'Chat Session', withSystem('Chat Session Owner', [
    t('Name', 'Chat Session Name', { mandatory: true, length: 120 }),
    of('phone', 'Customer_Phone', 'Customer Phone', { custom: true, length: 30 }),
    of('picklist', 'Channel', 'Channel', { custom: true, picklist: ['-None-', 'WhatsApp', 'Telegram', 'Web Chat'] }),
  ]), { custom: true, nameField: 'Name' }),
  module(5003, 'Contracts', 'Contract', withSystem('Contract Owner', [
    t('Name', 'Contract Name', { mandatory: true, length: 120 }),
    of('currency', 'Contract_Value', 'Contract Value', { custom: true }),
    of('date', 'Start_Date', 'Start Date', { custom: true }),
  ]), { custom: true, nameField: 'Name' }),
];

/** Zoho matches module API names case-insensitively in URLs. */
export function findModule(name: string): ZohoModule | undefined {
  const lower = name.toLowerCase();
  return MODULES.find((m) => m.api_name.toLowerCase() === lower);
}

export function findField(mod: ZohoModule, apiName: string): ZohoField | undefined {
  return mod.fields.find((f) => f.api_name === apiName);
}

import { choice, customer, dateOnly, dateTime, email, entity, guid, lookup, memo, options, phone, text, whole, yesNo } from './build.js';
import type { OptionDef } from './types.js';

/** Contacts, leads and users: the people tables, with the columns a sync connector touches. */
const ACTIVE_INACTIVE: OptionDef[] = options([0, 'Active'], [1, 'Inactive']);
const ACTIVE_INACTIVE_REASONS: OptionDef[] = [
  { value: 1, label: 'Active', state: 0 },
  { value: 2, label: 'Inactive', state: 1 },
];

/** crm-sync's own columns, added by its solution under the publisher prefix `cs_`. */
const syncColumns = () => [
  text('cs_crmsyncid', 'cs_CrmSyncId', 'CRM Sync Id', 100),
  whole('cs_leadscore', 'cs_LeadScore', 'Lead Score', { minValue: 0, maxValue: 100 }),
  choice('cs_qualification', 'cs_Qualification', 'Qualification', options([100000000, 'Cold'], [100000001, 'Warm'], [100000002, 'Hot'])),
  memo('cs_lastconversationsummary', 'cs_LastConversationSummary', 'Last Conversation Summary', 10000),
  dateTime('cs_lastcontactedon', 'cs_LastContactedOn', 'Last Contacted On'),
];

const nameColumns = () => [
  text('firstname', 'FirstName', 'First Name', 50, { requiredLevel: 'Recommended' }),
  text('middlename', 'MiddleName', 'Middle Name', 50),
  text('lastname', 'LastName', 'Last Name', 50, { requiredLevel: 'ApplicationRequired' }),
  text('fullname', 'FullName', 'Full Name', 160, { readOnly: true }),
];

export const CONTACT = entity({
  logicalName: 'contact',
  schemaName: 'Contact',
  entitySetName: 'contacts',
  displayName: 'Contact',
  displayCollectionName: 'Contacts',
  objectTypeCode: 2,
  primaryName: 'fullname',
  states: ACTIVE_INACTIVE,
  statuses: ACTIVE_INACTIVE_REASONS,
  attributes: [
    ...nameColumns(),
    email('emailaddress1', 'EMailAddress1', 'Email'),
    email('emailaddress2', 'EMailAddress2', 'Email Address 2'),
    email('emailaddress3', 'EMailAddress3', 'Email Address 3'),
    phone('telephone1', 'Telephone1', 'Business Phone'),
    phone('mobilephone', 'MobilePhone', 'Mobile Phone'),
    text('jobtitle', 'JobTitle', 'Job Title', 100),
    memo('description', 'Description', 'Description'),
    text('address1_line1', 'Address1_Line1', 'Address 1: Street 1', 250),
    text('address1_city', 'Address1_City', 'Address 1: City', 80),
    text('address1_postalcode', 'Address1_PostalCode', 'Address 1: ZIP/Postal Code', 20),
    text('address1_country', 'Address1_Country', 'Address 1: Country/Region', 80),
    dateOnly('birthdate', 'BirthDate', 'Birthday'),
    choice('preferredcontactmethodcode', 'PreferredContactMethodCode', 'Preferred Method of Contact',
      options([1, 'Any'], [2, 'Email'], [3, 'Phone'], [4, 'Fax'], [5, 'Mail'])),
    choice('gendercode', 'GenderCode', 'Gender', options([1, 'Male'], [2, 'Female'])),
    yesNo('donotemail', 'DoNotEMail', 'Do not allow Emails'),
    customer('parentcustomerid', 'ParentCustomerId', 'Company Name', {
      parentcustomerid_account: 'account',
      parentcustomerid_contact: 'contact',
    }),
    ...syncColumns(),
  ],
  keys: [{ logicalName: 'cs_contact_crmsyncid', schemaName: 'cs_contact_crmsyncid', displayName: 'CRM Sync Id', attributes: ['cs_crmsyncid'] }],
});

export const LEAD = entity({
  logicalName: 'lead',
  schemaName: 'Lead',
  entitySetName: 'leads',
  displayName: 'Lead',
  displayCollectionName: 'Leads',
  objectTypeCode: 4,
  primaryName: 'fullname',
  states: options([0, 'Open'], [1, 'Qualified'], [2, 'Disqualified']),
  statuses: [
    { value: 1, label: 'New', state: 0 },
    { value: 2, label: 'Contacted', state: 0 },
    { value: 3, label: 'Qualified', state: 1 },
    { value: 4, label: 'Lost', state: 2 },
    { value: 5, label: 'Cannot Contact', state: 2 },
    { value: 6, label: 'No Longer Interested', state: 2 },
    { value: 7, label: 'Canceled', state: 2 },
  ],
  attributes: [
    text('subject', 'Subject', 'Topic', 300, { requiredLevel: 'ApplicationRequired' }),
    ...nameColumns(),
    text('companyname', 'CompanyName', 'Company Name', 100),
    email('emailaddress1', 'EMailAddress1', 'Email'),
    email('emailaddress2', 'EMailAddress2', 'Email Address 2'),
    email('emailaddress3', 'EMailAddress3', 'Email Address 3'),
    phone('telephone1', 'Telephone1', 'Business Phone'),
    phone('mobilephone', 'MobilePhone', 'Mobile Phone'),
    text('jobtitle', 'JobTitle', 'Job Title', 100),
    memo('description', 'Description', 'Description'),
    text('address1_line1', 'Address1_Line1', 'Address 1: Street 1', 250),
    text('address1_city', 'Address1_City', 'Address 1: City', 80),
    text('address1_postalcode', 'Address1_PostalCode', 'Address 1: ZIP/Postal Code', 20),
    text('address1_country', 'Address1_Country', 'Address 1: Country/Region', 80),
    choice('leadsourcecode', 'LeadSourceCode', 'Lead Source', options(
      [1, 'Advertisement'], [2, 'Employee Referral'], [3, 'External Referral'], [4, 'Partner'], [5, 'Public Relations'],
      [6, 'Seminar'], [7, 'Trade Show'], [8, 'Web'], [9, 'Word of Mouth'], [10, 'Other'])),
    choice('leadqualitycode', 'LeadQualityCode', 'Rating', options([1, 'Hot'], [2, 'Warm'], [3, 'Cold'])),
    lookup('parentaccountid', 'ParentAccountId', 'Existing Account', { parentaccountid: 'account' }),
    lookup('parentcontactid', 'ParentContactId', 'Existing Contact', { parentcontactid: 'contact' }),
    ...syncColumns(),
  ],
  keys: [{ logicalName: 'cs_lead_crmsyncid', schemaName: 'cs_lead_crmsyncid', displayName: 'CRM Sync Id', attributes: ['cs_crmsyncid'] }],
});

export const SYSTEMUSER = entity({
  logicalName: 'systemuser',
  schemaName: 'SystemUser',
  entitySetName: 'systemusers',
  displayName: 'User',
  displayCollectionName: 'Users',
  objectTypeCode: 8,
  primaryName: 'fullname',
  userOwned: false,
  attributes: [
    ...nameColumns(),
    text('internalemailaddress', 'InternalEMailAddress', 'Primary Email', 100, { format: 'Email' }),
    text('domainname', 'DomainName', 'User Name', 1024, { requiredLevel: 'SystemRequired' }),
    text('title', 'Title', 'Title', 128),
    yesNo('isdisabled', 'IsDisabled', 'Status', { readOnly: true }),
    guid('applicationid', 'ApplicationId', 'Application ID'),
    guid('azureactivedirectoryobjectid', 'AzureActiveDirectoryObjectId', 'Azure AD Object ID', { readOnly: true }),
    choice('accessmode', 'AccessMode', 'Access Mode', options([0, 'Read-Write'], [1, 'Administrative'], [2, 'Read'], [3, 'Support User'], [4, 'Non-interactive'], [5, 'Delegated Admin'])),
  ],
});

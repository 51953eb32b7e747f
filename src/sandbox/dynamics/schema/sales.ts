import { choice, customer, dateOnly, email, entity, lookup, memo, money, options, phone, text, whole } from './build.js';

/** Accounts and opportunities. */
export const ACCOUNT = entity({
  logicalName: 'account',
  schemaName: 'Account',
  entitySetName: 'accounts',
  displayName: 'Account',
  displayCollectionName: 'Accounts',
  objectTypeCode: 1,
  primaryName: 'name',
  states: options([0, 'Active'], [1, 'Inactive']),
  statuses: [
    { value: 1, label: 'Active', state: 0 },
    { value: 2, label: 'Inactive', state: 1 },
  ],
  attributes: [
    text('name', 'Name', 'Account Name', 160, { requiredLevel: 'ApplicationRequired' }),
    text('accountnumber', 'AccountNumber', 'Account Number', 20),
    email('emailaddress1', 'EMailAddress1', 'Email'),
    phone('telephone1', 'Telephone1', 'Main Phone'),
    text('websiteurl', 'WebSiteURL', 'Website', 200, { format: 'Url' }),
    memo('description', 'Description', 'Description'),
    text('address1_city', 'Address1_City', 'Address 1: City', 80),
    text('address1_country', 'Address1_Country', 'Address 1: Country/Region', 80),
    choice('industrycode', 'IndustryCode', 'Industry', options(
      [1, 'Accounting'], [2, 'Agriculture and Non-petrol Natural Resource Extraction'], [7, 'Consulting'],
      [12, 'Financial'], [19, 'Inbound Capital Intensive Processing'], [25, 'Retail'], [33, 'Wholesale'])),
    money('revenue', 'Revenue', 'Annual Revenue'),
    whole('numberofemployees', 'NumberOfEmployees', 'Number of Employees', { minValue: 0, maxValue: 1000000000 }),
    lookup('primarycontactid', 'PrimaryContactId', 'Primary Contact', { primarycontactid: 'contact' }),
    lookup('parentaccountid', 'ParentAccountId', 'Parent Account', { parentaccountid: 'account' }),
    text('cs_crmsyncid', 'cs_CrmSyncId', 'CRM Sync Id', 100),
  ],
  keys: [{ logicalName: 'cs_account_crmsyncid', schemaName: 'cs_account_crmsyncid', displayName: 'CRM Sync Id', attributes: ['cs_crmsyncid'] }],
});

export const OPPORTUNITY = entity({
  logicalName: 'opportunity',
  schemaName: 'Opportunity',
  entitySetName: 'opportunities',
  displayName: 'Opportunity',
  displayCollectionName: 'Opportunities',
  objectTypeCode: 3,
  primaryName: 'name',
  states: options([0, 'Open'], [1, 'Won'], [2, 'Lost']),
  statuses: [
    { value: 1, label: 'In Progress', state: 0 },
    { value: 2, label: 'On Hold', state: 0 },
    { value: 3, label: 'Won', state: 1 },
    { value: 4, label: 'Canceled', state: 2 },
    { value: 5, label: 'Out-Sold', state: 2 },
  ],
  attributes: [
    text('name', 'Name', 'Topic', 300, { requiredLevel: 'ApplicationRequired' }),
    memo('description', 'Description', 'Description'),
    money('estimatedvalue', 'EstimatedValue', 'Est. Revenue'),
    dateOnly('estimatedclosedate', 'EstimatedCloseDate', 'Est. Close Date'),
    whole('closeprobability', 'CloseProbability', 'Probability', { minValue: 0, maxValue: 100 }),
    text('stepname', 'StepName', 'Pipeline Phase', 200),
    choice('opportunityratingcode', 'OpportunityRatingCode', 'Rating', options([1, 'Hot'], [2, 'Warm'], [3, 'Cold'])),
    lookup('parentaccountid', 'ParentAccountId', 'Account', { parentaccountid: 'account' }),
    lookup('parentcontactid', 'ParentContactId', 'Contact', { parentcontactid: 'contact' }),
    customer('customerid', 'CustomerId', 'Potential Customer', { customerid_account: 'account', customerid_contact: 'contact' }),
    text('cs_crmsyncid', 'cs_CrmSyncId', 'CRM Sync Id', 100),
  ],
  keys: [{ logicalName: 'cs_opportunity_crmsyncid', schemaName: 'cs_opportunity_crmsyncid', displayName: 'CRM Sync Id', attributes: ['cs_crmsyncid'] }],
});

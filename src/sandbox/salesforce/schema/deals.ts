import { LEAD_SOURCES, crmSyncId, field, picklist, readonly, reference, systemFields, text, type SObjectDef } from './fields.js';

/** Stages with the probability and forecast category the default sales process gives them. */
export const STAGES: { name: string; probability: number; forecast: string; closed: boolean; won: boolean }[] = [
  { name: 'Prospecting', probability: 10, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Qualification', probability: 10, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Value Proposition', probability: 50, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, forecast: 'Pipeline', closed: false, won: false },
  { name: 'Closed Won', probability: 100, forecast: 'Closed', closed: true, won: true },
  { name: 'Closed Lost', probability: 0, forecast: 'Omitted', closed: true, won: false },
];

export const OPPORTUNITY: SObjectDef = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...systemFields({ owner: true }),
    reference('AccountId', 'Account ID', ['Account'], 'Account'),
    text('Name', 'Name', 120, { required: true, nameField: true }),
    field('Description', 'Description', 'textarea'),
    picklist(
      'StageName',
      'Stage',
      STAGES.map((s) => s.name),
      { required: true, restricted: true },
    ),
    field('Amount', 'Amount', 'currency'),
    field('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
    field('CloseDate', 'Close Date', 'date', { required: true }),
    picklist('Type', 'Opportunity Type', ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer']),
    text('NextStep', 'Next Step', 255),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    readonly(field('IsClosed', 'Closed', 'boolean', { defaultedOnCreate: true })),
    readonly(field('IsWon', 'Won', 'boolean', { defaultedOnCreate: true })),
    picklist('ForecastCategoryName', 'Forecast Category', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
      restricted: true,
      defaultedOnCreate: true,
    }),
    reference('ContactId', 'Contact ID', ['Contact'], 'Contact'),
    readonly(field('LastActivityDate', 'Last Activity', 'date')),
    crmSyncId(),
  ],
};

export const OPPORTUNITY_CONTACT_ROLE: SObjectDef = {
  name: 'OpportunityContactRole',
  label: 'Opportunity Contact Role',
  labelPlural: 'Opportunity Contact Role',
  keyPrefix: '00K',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...systemFields({ owner: false }),
    reference('OpportunityId', 'Opportunity ID', ['Opportunity'], 'Opportunity', { required: true, updateable: false }),
    reference('ContactId', 'Contact ID', ['Contact'], 'Contact', { required: true }),
    picklist('Role', 'Role', ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other']),
    field('IsPrimary', 'Primary', 'boolean', { defaultValue: false, defaultedOnCreate: true }),
  ],
};


import type { ObjectType } from './objects.js';

/**
 * The standard properties each object starts with, a subset of a new HubSpot
 * portal's, with the real internal names, types and picklist values.
 */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';

export interface PropertySeed {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  options?: string[] | [string, string][];
  readOnly?: boolean;
  /** Options live elsewhere (owners), so only existence is checked. */
  owner?: boolean;
}

const s = (name: string, label: string, groupName: string, fieldType = 'text'): PropertySeed => ({ name, label, type: 'string', fieldType, groupName });
const n = (name: string, label: string, groupName: string): PropertySeed => ({ name, label, type: 'number', fieldType: 'number', groupName });
const dt = (name: string, label: string, groupName: string, readOnly = false): PropertySeed => ({ name, label, type: 'datetime', fieldType: 'date', groupName, readOnly });
const pick = (name: string, label: string, groupName: string, options: PropertySeed['options'], fieldType = 'select'): PropertySeed => ({ name, label, type: 'enumeration', fieldType, groupName, options });
const owner = (groupName: string): PropertySeed => ({ name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select', groupName, owner: true });

function system(created: 'createdate' | 'hs_createdate', modified: 'lastmodifieddate' | 'hs_lastmodifieddate', group: string): PropertySeed[] {
  return [
    dt(created, 'Create Date', group),
    dt(modified, 'Last Modified Date', group, true),
    { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', groupName: group, readOnly: true },
    { ...s('hs_object_source', 'Record source', group), readOnly: true },
    { ...s('hs_object_source_id', 'Record source detail 1', group), readOnly: true },
    { ...s('hs_object_source_label', 'Record source label', group), readOnly: true },
  ];
}

const LIFECYCLE: [string, string][] = [
  ['subscriber', 'Subscriber'], ['lead', 'Lead'], ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'], ['opportunity', 'Opportunity'], ['customer', 'Customer'],
  ['evangelist', 'Evangelist'], ['other', 'Other'],
];

const ACTIVITY = (group: string): PropertySeed[] => [...system('hs_createdate', 'hs_lastmodifieddate', group), dt('hs_timestamp', 'Activity date', group), owner(group)];

export const PROPERTY_CATALOG: Record<ObjectType, PropertySeed[]> = {
  contacts: [
    ...system('createdate', 'lastmodifieddate', 'contactinformation'),
    s('email', 'Email', 'contactinformation'),
    s('firstname', 'First Name', 'contactinformation'),
    s('lastname', 'Last Name', 'contactinformation'),
    s('phone', 'Phone Number', 'contactinformation', 'phonenumber'),
    s('mobilephone', 'Mobile Phone Number', 'contactinformation', 'phonenumber'),
    s('company', 'Company Name', 'contactinformation'),
    s('jobtitle', 'Job Title', 'contactinformation'),
    s('website', 'Website URL', 'contactinformation'),
    s('address', 'Street Address', 'contactinformation'),
    s('city', 'City', 'contactinformation'),
    s('state', 'State/Region', 'contactinformation'),
    s('zip', 'Postal Code', 'contactinformation'),
    s('country', 'Country/Region', 'contactinformation'),
    pick('lifecyclestage', 'Lifecycle Stage', 'contactinformation', LIFECYCLE, 'radio'),
    pick('hs_lead_status', 'Lead Status', 'sales_properties', [
      ['NEW', 'New'], ['OPEN', 'Open'], ['IN_PROGRESS', 'In Progress'], ['OPEN_DEAL', 'Open Deal'], ['UNQUALIFIED', 'Unqualified'],
      ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'], ['CONNECTED', 'Connected'], ['BAD_TIMING', 'Bad Timing'],
    ], 'radio'),
    n('associatedcompanyid', 'Primary Associated Company ID', 'contactinformation'),
    owner('sales_properties'),
  ],
  companies: [
    ...system('createdate', 'hs_lastmodifieddate', 'companyinformation'),
    s('name', 'Company name', 'companyinformation'),
    s('domain', 'Company Domain Name', 'companyinformation'),
    s('website', 'Website URL', 'companyinformation'),
    s('phone', 'Phone Number', 'companyinformation', 'phonenumber'),
    s('city', 'City', 'companyinformation'),
    s('state', 'State/Region', 'companyinformation'),
    s('country', 'Country/Region', 'companyinformation'),
    s('description', 'Description', 'companyinformation', 'textarea'),
    n('numberofemployees', 'Number of Employees', 'companyinformation'),
    n('annualrevenue', 'Annual Revenue', 'companyinformation'),
    pick('industry', 'Industry', 'companyinformation', [
      'ACCOUNTING', 'BANKING', 'COMPUTER_SOFTWARE', 'CONSTRUCTION', 'EDUCATION_MANAGEMENT', 'FINANCIAL_SERVICES',
      'HOSPITAL_HEALTH_CARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'INSURANCE', 'MARKETING_AND_ADVERTISING', 'REAL_ESTATE', 'RETAIL',
    ]),
    pick('type', 'Type', 'companyinformation', [['PROSPECT', 'Prospect'], ['PARTNER', 'Partner'], ['RESELLER', 'Reseller'], ['VENDOR', 'Vendor'], ['OTHER', 'Other']]),
    pick('lifecyclestage', 'Lifecycle Stage', 'companyinformation', LIFECYCLE, 'radio'),
    owner('companyinformation'),
  ],
  deals: [
    ...system('createdate', 'hs_lastmodifieddate', 'dealinformation'),
    s('dealname', 'Deal Name', 'dealinformation'),
    n('amount', 'Amount', 'dealinformation'),
    // The portal's currencies (company currency first); a code the portal does not have is refused as an option.
    pick('deal_currency_code', 'Currency', 'dealinformation', [['USD', 'US Dollar'], ['EUR', 'Euro'], ['GBP', 'British Pound']]),
    pick('pipeline', 'Pipeline', 'dealinformation', [['default', 'Sales Pipeline']]),
    pick('dealstage', 'Deal Stage', 'dealinformation', [
      ['appointmentscheduled', 'Appointment Scheduled'], ['qualifiedtobuy', 'Qualified To Buy'],
      ['presentationscheduled', 'Presentation Scheduled'], ['decisionmakerboughtin', 'Decision Maker Bought-In'],
      ['contractsent', 'Contract Sent'], ['closedwon', 'Closed Won'], ['closedlost', 'Closed Lost'],
    ], 'radio'),
    dt('closedate', 'Close Date', 'dealinformation'),
    pick('dealtype', 'Deal Type', 'dealinformation', [['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']], 'radio'),
    s('description', 'Deal Description', 'dealinformation', 'textarea'),
    owner('dealinformation'),
  ],
  notes: [...ACTIVITY('engagement'), s('hs_note_body', 'Note body', 'engagement', 'html'), s('hs_attachment_ids', 'Attached file IDs', 'engagement')],
  tasks: [
    ...ACTIVITY('task'),
    s('hs_task_subject', 'Task Title', 'task'),
    s('hs_task_body', 'Notes', 'task', 'html'),
    pick('hs_task_status', 'Task Status', 'task', [['NOT_STARTED', 'Not Started'], ['IN_PROGRESS', 'In Progress'], ['WAITING', 'Waiting'], ['COMPLETED', 'Completed'], ['DEFERRED', 'Deferred']]),
    pick('hs_task_priority', 'Priority', 'task', [['NONE', 'None'], ['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High']]),
    pick('hs_task_type', 'Task Type', 'task', [['CALL', 'Call'], ['EMAIL', 'Email'], ['TODO', 'To-do']]),
  ],
  calls: [
    ...ACTIVITY('call'),
    s('hs_call_title', 'Call Title', 'call'),
    s('hs_call_body', 'Call notes', 'call', 'html'),
    n('hs_call_duration', 'Call duration', 'call'),
    pick('hs_call_direction', 'Call direction', 'call', [['INBOUND', 'Inbound'], ['OUTBOUND', 'Outbound']]),
    s('hs_call_disposition', 'Call outcome', 'call'),
    pick('hs_call_status', 'Call status', 'call', [
      ['BUSY', 'Busy'], ['CALLING_CRM_USER', 'Calling CRM User'], ['CANCELED', 'Canceled'], ['COMPLETED', 'Completed'],
      ['CONNECTING', 'Connecting'], ['FAILED', 'Failed'], ['IN_PROGRESS', 'In Progress'], ['MISSED', 'Missed'],
      ['NO_ANSWER', 'No Answer'], ['QUEUED', 'Queued'], ['RINGING', 'Ringing'],
    ]),
    s('hs_call_from_number', 'From number', 'call', 'phonenumber'),
    s('hs_call_to_number', 'To number', 'call', 'phonenumber'),
    s('hs_call_recording_url', 'Recording URL', 'call'),
  ],
  meetings: [
    ...ACTIVITY('meeting'),
    s('hs_meeting_title', 'Meeting name', 'meeting'),
    s('hs_meeting_body', 'Meeting description', 'meeting', 'html'),
    s('hs_internal_meeting_notes', 'Internal notes', 'meeting', 'html'),
    s('hs_meeting_external_url', 'External URL', 'meeting'),
    s('hs_meeting_location', 'Location', 'meeting'),
    dt('hs_meeting_start_time', 'Start Time', 'meeting'),
    dt('hs_meeting_end_time', 'End Time', 'meeting'),
    pick('hs_meeting_outcome', 'Meeting outcome', 'meeting', [['SCHEDULED', 'Scheduled'], ['COMPLETED', 'Completed'], ['RESCHEDULED', 'Rescheduled'], ['NO_SHOW', 'No Show'], ['CANCELED', 'Canceled']]),
  ],
};

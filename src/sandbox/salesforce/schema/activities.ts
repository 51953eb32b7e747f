import { field, picklist, readonly, reference, systemFields, text, type SObjectDef } from './fields.js';

/** Who: a person; What: the business record the activity is about. Both polymorphic, as in Salesforce. */
const WHO = ['Contact', 'Lead'];
const WHAT = ['Account', 'Opportunity'];
const ACTIVITY_TYPES = ['Call', 'Email', 'Meeting', 'Other'];

export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'];

export const TASK: SObjectDef = {
  name: 'Task',
  label: 'Task',
  labelPlural: 'Tasks',
  keyPrefix: '00T',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...systemFields({ owner: true }),
    reference('WhoId', 'Name ID', WHO, 'Who'),
    reference('WhatId', 'Related To ID', WHAT, 'What'),
    field('Subject', 'Subject', 'combobox', { picklist: ['Call', 'Send Letter', 'Send Quote', 'Other'] }),
    field('ActivityDate', 'Due Date Only', 'date'),
    picklist('Status', 'Status', TASK_STATUSES, { restricted: true, defaultValue: 'Not Started', defaultedOnCreate: true }),
    picklist('Priority', 'Priority', ['High', 'Normal', 'Low'], { restricted: true, defaultValue: 'Normal', defaultedOnCreate: true }),
    readonly(field('IsHighPriority', 'High Priority', 'boolean', { defaultedOnCreate: true })),
    field('Description', 'Description', 'textarea'),
    picklist('Type', 'Type', ACTIVITY_TYPES),
    picklist('TaskSubtype', 'Task Subtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
      restricted: true,
      updateable: false,
      defaultValue: 'Task',
      defaultedOnCreate: true,
    }),
    readonly(field('IsClosed', 'Closed', 'boolean', { defaultedOnCreate: true })),
    readonly(field('CompletedDateTime', 'Completed Date/Time', 'datetime')),
    field('CallDurationInSeconds', 'Call Duration', 'int'),
    picklist('CallType', 'Call Type', ['Internal', 'Inbound', 'Outbound'], { restricted: true }),
    text('CallDisposition', 'Call Result', 255),
    text('CallObject', 'Call Object Identifier', 255),
  ],
};

export const EVENT: SObjectDef = {
  name: 'Event',
  label: 'Event',
  labelPlural: 'Events',
  keyPrefix: '00U',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...systemFields({ owner: true }),
    reference('WhoId', 'Name ID', WHO, 'Who'),
    reference('WhatId', 'Related To ID', WHAT, 'What'),
    field('Subject', 'Subject', 'combobox', { picklist: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'] }),
    text('Location', 'Location', 255),
    field('IsAllDayEvent', 'All-Day Event', 'boolean', { defaultValue: false, defaultedOnCreate: true }),
    field('ActivityDateTime', 'Due Date Time', 'datetime'),
    field('ActivityDate', 'Due Date Only', 'date'),
    field('StartDateTime', 'Start Date Time', 'datetime'),
    field('EndDateTime', 'End Date Time', 'datetime'),
    field('DurationInMinutes', 'Duration', 'int'),
    field('Description', 'Description', 'textarea'),
    picklist('Type', 'Type', ACTIVITY_TYPES),
    picklist('ShowAs', 'Show Time As', ['Busy', 'OutOfOffice', 'Free'], { restricted: true, defaultValue: 'Busy', defaultedOnCreate: true }),
    picklist('EventSubtype', 'Event Subtype', ['Event'], { restricted: true, updateable: false, defaultValue: 'Event', defaultedOnCreate: true }),
  ],
};

/** Classic notes: a title and body attached to any record through ParentId. */
export const NOTE: SObjectDef = {
  name: 'Note',
  label: 'Note',
  labelPlural: 'Notes',
  keyPrefix: '002',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...systemFields({ owner: true }),
    reference('ParentId', 'Parent ID', ['Account', 'Contact', 'Lead', 'Opportunity'], 'Parent', { required: true, updateable: false }),
    text('Title', 'Title', 80, { required: true, nameField: true }),
    field('Body', 'Body', 'textarea'),
    field('IsPrivate', 'Private', 'boolean', { defaultValue: false, defaultedOnCreate: true }),
  ],
};

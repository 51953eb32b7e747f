import { dateTime, entity, entityName, lookup, memo, options, phone, text, whole, yesNo, choice } from './build.js';
import type { AttributeDef } from './types.js';

/** Notes and the activity tables (task, phone call, appointment), each regarding a record. */
const REGARDING_TARGETS = ['account', 'contact', 'lead', 'opportunity'] as const;

/** Activities name their regarding navigation properties per target and per activity table. */
function regarding(activity: string): AttributeDef {
  const navigation = Object.fromEntries(REGARDING_TARGETS.map((t) => [`regardingobjectid_${t}_${activity}`, t]));
  return lookup('regardingobjectid', 'RegardingObjectId', 'Regarding', navigation);
}

const activityColumns = (activity: string) => [
  text('subject', 'Subject', 'Subject', 200, { requiredLevel: 'ApplicationRequired' }),
  memo('description', 'Description', 'Description'),
  dateTime('scheduledstart', 'ScheduledStart', 'Start Date'),
  dateTime('scheduledend', 'ScheduledEnd', 'Due'),
  dateTime('actualend', 'ActualEnd', 'Actual End'),
  choice('prioritycode', 'PriorityCode', 'Priority', options([0, 'Low'], [1, 'Normal'], [2, 'High'])),
  { ...entityName('activitytypecode', 'ActivityTypeCode', 'Activity Type') },
  regarding(activity),
  text('cs_crmsyncid', 'cs_CrmSyncId', 'CRM Sync Id', 100),
];

export const ANNOTATION = entity({
  logicalName: 'annotation',
  schemaName: 'Annotation',
  entitySetName: 'annotations',
  displayName: 'Note',
  displayCollectionName: 'Notes',
  objectTypeCode: 5,
  primaryName: 'subject',
  attributes: [
    text('subject', 'Subject', 'Title', 500),
    memo('notetext', 'NoteText', 'Description', 100000),
    yesNo('isdocument', 'IsDocument', 'Is Document', { readOnly: true }),
    text('filename', 'FileName', 'File Name', 255),
    text('mimetype', 'MimeType', 'Mime Type', 256),
    lookup('objectid', 'ObjectId', 'Regarding', {
      objectid_account: 'account',
      objectid_contact: 'contact',
      objectid_lead: 'lead',
      objectid_opportunity: 'opportunity',
    }),
    entityName('objecttypecode', 'ObjectTypeCode', 'Object Type'),
  ],
});

export const TASK = entity({
  logicalName: 'task',
  schemaName: 'Task',
  entitySetName: 'tasks',
  displayName: 'Task',
  displayCollectionName: 'Tasks',
  objectTypeCode: 4212,
  primaryId: 'activityid',
  primaryName: 'subject',
  isActivity: true,
  states: options([0, 'Open'], [1, 'Completed'], [2, 'Canceled']),
  statuses: [
    { value: 2, label: 'Not Started', state: 0 },
    { value: 3, label: 'In Progress', state: 0 },
    { value: 4, label: 'Waiting on someone else', state: 0 },
    { value: 7, label: 'Deferred', state: 0 },
    { value: 5, label: 'Completed', state: 1 },
    { value: 6, label: 'Canceled', state: 2 },
  ],
  attributes: [...activityColumns('task'), whole('percentcomplete', 'PercentComplete', 'Percent Complete', { minValue: 0, maxValue: 100 })],
});

export const PHONECALL = entity({
  logicalName: 'phonecall',
  schemaName: 'PhoneCall',
  entitySetName: 'phonecalls',
  displayName: 'Phone Call',
  displayCollectionName: 'Phone Calls',
  objectTypeCode: 4210,
  primaryId: 'activityid',
  primaryName: 'subject',
  isActivity: true,
  states: options([0, 'Open'], [1, 'Completed'], [2, 'Canceled']),
  statuses: [
    { value: 1, label: 'Open', state: 0 },
    { value: 2, label: 'Made', state: 1 },
    { value: 4, label: 'Received', state: 1 },
    { value: 3, label: 'Canceled', state: 2 },
  ],
  attributes: [
    ...activityColumns('phonecall'),
    phone('phonenumber', 'PhoneNumber', 'Phone Number'),
    yesNo('directioncode', 'DirectionCode', 'Direction'),
    whole('actualdurationminutes', 'ActualDurationMinutes', 'Duration', { minValue: 0, maxValue: 2147483647 }),
  ],
});

export const APPOINTMENT = entity({
  logicalName: 'appointment',
  schemaName: 'Appointment',
  entitySetName: 'appointments',
  displayName: 'Appointment',
  displayCollectionName: 'Appointments',
  objectTypeCode: 4201,
  primaryId: 'activityid',
  primaryName: 'subject',
  isActivity: true,
  states: options([0, 'Open'], [1, 'Completed'], [2, 'Canceled'], [3, 'Scheduled']),
  statuses: [
    { value: 1, label: 'Free', state: 0 },
    { value: 2, label: 'Tentative', state: 0 },
    { value: 3, label: 'Completed', state: 1 },
    { value: 4, label: 'Canceled', state: 2 },
    { value: 5, label: 'Busy', state: 3 },
    { value: 6, label: 'Out of Office', state: 3 },
  ],
  attributes: [
    ...activityColumns('appointment'),
    text('location', 'Location', 'Location', 200),
    yesNo('isalldayevent', 'IsAllDayEvent', 'All Day Event'),
  ],
});

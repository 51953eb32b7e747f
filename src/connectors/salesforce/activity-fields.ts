import type { CanonicalActivity } from '../outbound.js';
import type { SObjectRecord } from './collections.js';

const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;

/**
 * Tasks and Events have no field we can make unique (the crm-sync package adds external ids to
 * Lead, Contact, Account and Opportunity only), so the idempotency key rides at the end of the
 * Description, where a replay can find it.
 */
export const marker = (key: string) => `[crm-sync:${key}]`;
/** The keys of the markers in a Description. */
export const markersIn = (description: unknown): string[] =>
  typeof description === 'string' ? [...description.matchAll(/\[crm-sync:([^\]]+)\]/g)].map((m) => m[1] as string) : [];

export type ActivityObject = 'Task' | 'Event';
export const objectOf = (a: CanonicalActivity): ActivityObject => (a.kind === 'meeting' ? 'Event' : 'Task');

/** The day part of an ISO 8601 time as written, so a late-evening local time keeps its own date. */
const dayOf = (iso: string) => (/^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? new Date(iso).toISOString().slice(0, 10));
const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

function description(a: CanonicalActivity): string {
  if (!a.body) return marker(a.key);
  const tail = `\n\n${marker(a.key)}`;
  const body = a.body.length + tail.length > DESCRIPTION_MAX ? `${a.body.slice(0, DESCRIPTION_MAX - tail.length - 1)}…` : a.body;
  return `${body}${tail}`;
}

/**
 * Notes, transcripts and commitments are Tasks (closed for what happened, open for what is
 * due), calls are Tasks of subtype Call, meetings are Events. WhatId links the open
 * Opportunity, but only beside a Contact: Salesforce refuses a WhatId when WhoId is a Lead.
 */
export function activityRecord(a: CanonicalActivity): SObjectRecord {
  const v: Record<string, unknown> = {
    WhoId: a.contact.id,
    Subject: a.subject.slice(0, SUBJECT_MAX),
    Description: description(a),
  };
  if (a.deal && a.contact.object === 'Contact') v.WhatId = a.deal.id;
  if (a.ownerId) v.OwnerId = a.ownerId;
  if (a.kind === 'meeting') {
    v.StartDateTime = a.occurredAt;
    const end = a.endAt ?? a.dueAt;
    if (end) v.EndDateTime = end;
    else v.DurationInMinutes = 0;
    v.Type = 'Meeting';
    return { object: 'Event', values: v };
  }
  v.ActivityDate = dayOf(a.kind === 'task' ? (a.dueAt ?? a.occurredAt) : a.occurredAt);
  v.Status = a.kind === 'task' ? 'Not Started' : 'Completed';
  v.Priority = 'Normal';
  v.TaskSubtype = a.kind === 'call' ? 'Call' : 'Task';
  if (a.kind === 'call') {
    v.Type = 'Call';
    if (a.endAt) v.CallDurationInSeconds = seconds(a.occurredAt, a.endAt);
  }
  return { object: 'Task', values: v };
}

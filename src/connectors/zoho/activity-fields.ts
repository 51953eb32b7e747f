import type { CanonicalActivity } from '../outbound.js';
import type { ZohoRecord } from './writes.js';

/** Zoho's limits on what we write (Note_Title 120, text 255, long text 32,000 characters). */
const TITLE_MAX = 120;
const SUBJECT_MAX = 255;
const CONTENT_MAX = 32_000;

/**
 * Zoho's activities have no field we can make unique, so the idempotency key rides at the end
 * of the note's content or the activity's Description, where a replay can find it.
 */
export const marker = (key: string) => `[crm-sync:${key}]`;
export const markersIn = (text: unknown): string[] => (typeof text === 'string' ? [...text.matchAll(/\[crm-sync:([^\]]+)\]/g)].map((m) => m[1] as string) : []);

export type ActivityModule = 'Notes' | 'Tasks' | 'Calls' | 'Events';
/** Notes and chat transcripts are Notes; commitments Tasks; calls Calls; meetings Events (labelled Meetings). */
export const moduleOf = (a: CanonicalActivity): ActivityModule => (a.kind === 'task' ? 'Tasks' : a.kind === 'call' ? 'Calls' : a.kind === 'meeting' ? 'Events' : 'Notes');
/** The field of each module that holds the text, and so the marker. */
export const TEXT_FIELD: Record<ActivityModule, string> = { Notes: 'Note_Content', Tasks: 'Description', Calls: 'Description', Events: 'Description' };

function withMarker(body: string, key: string): string {
  const tail = body ? `\n\n${marker(key)}` : marker(key);
  const room = CONTENT_MAX - tail.length;
  return `${body.length > room ? `${body.slice(0, room - 1)}…` : body}${tail}`;
}

/** Zoho's datetime: ISO 8601 to the second with an offset, no milliseconds. */
export const zohoDateTime = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
/** The day part as written, so a late-evening local time keeps its own date. */
const dayOf = (iso: string) => /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? new Date(iso).toISOString().slice(0, 10);
function duration(from: string, to: string): string {
  const s = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A note's title and content: for a day's chat, updated in place as the day's messages grow (PRODUCT.md S5). */
export const noteContent = (a: CanonicalActivity): ZohoRecord => ({ Note_Title: a.subject.slice(0, TITLE_MAX), Note_Content: withMarker(a.body, a.key) });

/**
 * The record of an activity. Notes hang on their parent (Parent_Id with $se_module). Tasks,
 * Calls and Events take Who_Id for a Contact and What_Id with $se_module for anything else: a
 * Lead or custom module record itself, or a Contact's open Deal.
 */
export function activityRecord(a: CanonicalActivity): ZohoRecord {
  const module = moduleOf(a);
  if (module === 'Notes') return { ...noteContent(a), Parent_Id: { module: { api_name: a.contact.object }, id: a.contact.id }, $se_module: a.contact.object };
  const v: ZohoRecord = { Description: withMarker(a.body, a.key) };
  if (a.contact.object === 'Contacts') {
    v.Who_Id = { id: a.contact.id };
    if (a.deal) Object.assign(v, { What_Id: { id: a.deal.id }, $se_module: a.deal.object });
  } else {
    Object.assign(v, { What_Id: { id: a.contact.id }, $se_module: a.contact.object });
  }
  if (a.ownerId) v.Owner = { id: a.ownerId };
  if (module === 'Events') {
    const end = a.endAt ?? a.dueAt ?? a.occurredAt;
    return { ...v, Event_Title: a.subject.slice(0, SUBJECT_MAX), Start_DateTime: zohoDateTime(a.occurredAt), End_DateTime: zohoDateTime(end) };
  }
  if (module === 'Calls') {
    const call: ZohoRecord = { ...v, Subject: a.subject.slice(0, SUBJECT_MAX), Call_Type: 'Outbound', Call_Start_Time: zohoDateTime(a.occurredAt) };
    if (a.endAt) call.Call_Duration = duration(a.occurredAt, a.endAt);
    return call;
  }
  return { ...v, Subject: a.subject.slice(0, SUBJECT_MAX), Due_Date: dayOf(a.dueAt ?? a.occurredAt), Status: 'Not Started', Priority: 'Normal' };
}

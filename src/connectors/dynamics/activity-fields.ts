import type { CanonicalActivity } from '../outbound.js';
import { DYNAMICS } from './api.js';
import { PEOPLE, personOf } from './people.js';

/** Where each kind lives: notes and transcripts are annotations; the rest are activity tables. */
export const TABLES = { note: 'annotations', transcript: 'annotations', task: 'tasks', call: 'phonecalls', meeting: 'appointments' } as const;
export type Table = (typeof TABLES)[CanonicalActivity['kind']];
const ACTIVITY = { tasks: 'task', phonecalls: 'phonecall', appointments: 'appointment' } as const;

const SUBJECT_MAX = { annotations: 500, tasks: 200, phonecalls: 200, appointments: 200 } as const;

/**
 * Annotations have no column of ours, so a note's key rides at the end of its text, where a
 * replay finds it with contains(); activity rows carry it in cs_crmsyncid as well.
 */
export const marker = (key: string) => `[crm-sync:${key}]`;
export const markersIn = (text: unknown): string[] => (typeof text === 'string' ? [...text.matchAll(/\[crm-sync:([^\]]+)\]/g)].map((m) => m[1] as string) : []);

const withMarker = (a: CanonicalActivity) => (a.body ? `${a.body}\n\n${marker(a.key)}` : marker(a.key));
const minutes = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

/**
 * The row for one activity, regarding the contact or lead (Dataverse's regarding is a single lookup,
 * so the open opportunity is not linked as well). Tasks are due at dueAt; calls and meetings
 * are scheduled from when they happened to when they ended, with the call's duration.
 */
export function activityRow(a: CanonicalActivity): { table: Table; body: Record<string, unknown> } {
  const table = TABLES[a.kind];
  const subject = a.subject.slice(0, SUBJECT_MAX[table]);
  const about = PEOPLE[personOf(a.contact) ?? 'contacts'].logicalName;
  const bind = `/${a.contact.object}(${a.contact.id})`;
  if (table === 'annotations') return { table, body: { subject, notetext: withMarker(a), [`objectid_${about}@odata.bind`]: bind } };
  const body: Record<string, unknown> = {
    subject,
    description: withMarker(a),
    [DYNAMICS.keyColumn]: a.key,
    [`regardingobjectid_${about}_${ACTIVITY[table]}@odata.bind`]: bind,
  };
  if (a.ownerId) body['ownerid@odata.bind'] = `/systemusers(${a.ownerId})`;
  if (table === 'tasks') {
    body.scheduledend = a.dueAt ?? a.occurredAt;
    return { table, body };
  }
  const end = a.endAt ?? a.dueAt;
  body.scheduledstart = a.occurredAt;
  body.scheduledend = end ?? a.occurredAt;
  if (table === 'phonecalls' && end) body.actualdurationminutes = minutes(a.occurredAt, end);
  return { table, body };
}

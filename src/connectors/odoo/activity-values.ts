import type { CanonicalActivity } from '../outbound.js';
import { ODOO } from './facts.js';

/** The chatter a note or activity lands on: the open opportunity when there is one, else the partner. */
export interface ThreadRecord {
  model: 'res.partner' | 'crm.lead';
  id: number;
}
export const recordOf = (a: CanonicalActivity): ThreadRecord =>
  a.deal?.object === 'crm.lead' ? { model: 'crm.lead', id: Number(a.deal.id) } : { model: 'res.partner', id: Number(a.contact.id) };

/** Tasks, calls and meetings are scheduled activities; notes and transcripts are messages. */
export const usesActivity = (a: CanonicalActivity) => a.kind === 'task' || a.kind === 'call' || a.kind === 'meeting';

export const marker = (key: string) => `[${ODOO.keyPrefix}${key}]`;
/** The keys of the markers in an HTML body or note (Odoo may escape nothing inside the brackets). */
export const markersIn = (html: unknown): string[] => (typeof html === 'string' ? [...html.matchAll(/\[crm-sync:([^\]<]+)\]/g)].map((m) => m[1] as string) : []);

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as HTML paragraphs, with the marker last, where Odoo shows it small and a replay finds it. */
export function html(a: CanonicalActivity): string {
  const paragraphs = a.body ? a.body.split(/\n{2,}/).map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`) : [];
  return [...paragraphs, `<p><small>${escape(marker(a.key))}</small></p>`].join('');
}

/** The day part of an ISO 8601 time as written, so a late-evening local time keeps its own date. */
const dayOf = (iso: string) => /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? new Date(iso).toISOString().slice(0, 10);

/**
 * A note as a mail.message on the record's chatter, created directly as Odoo's importers write many
 * chatter entries in one call: an internal note (the mail.mt_note subtype, whose id the caller looked
 * up), as message_post would log it, by the calling user (Odoo's default author). Created this way it
 * notifies no one, as a note posted without mentions does not either.
 */
export function messageValues(a: CanonicalActivity, noteSubtype: number): Record<string, unknown> {
  const on = recordOf(a);
  return { model: on.model, res_id: on.id, body: html(a), subject: a.subject, message_type: 'comment', subtype_id: noteSubtype };
}

/** A mail.activity: due on the task's due date, or the day the call or meeting happens. */
export function activityValues(a: CanonicalActivity, types: Map<string, number>): Record<string, unknown> {
  const on = recordOf(a);
  const typeName = ODOO.activityTypes[a.kind as keyof typeof ODOO.activityTypes];
  const v: Record<string, unknown> = {
    res_model: on.model,
    res_id: on.id,
    summary: a.subject,
    note: html(a),
    date_deadline: dayOf(a.kind === 'task' ? (a.dueAt ?? a.occurredAt) : a.occurredAt),
  };
  const type = types.get(typeName);
  if (type !== undefined) v.activity_type_id = type;
  if (a.ownerId) v.user_id = Number(a.ownerId);
  return v;
}

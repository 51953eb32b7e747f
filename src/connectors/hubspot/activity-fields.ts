import type { CanonicalActivity } from '../outbound.js';
import { ACTIVITY_KEY_PROPERTY, ASSOCIATION_TYPE_IDS, OBJECT_OF_KIND, TASK_DEFAULTS } from './facts.js';

/** The engagement's properties: its own fields, the owner, and our key (read back on a replay). */
export function activityProperties(a: CanonicalActivity): Record<string, string> {
  const common: Record<string, string> = { [ACTIVITY_KEY_PROPERTY]: a.key, ...(a.ownerId ? { hubspot_owner_id: a.ownerId } : {}) };
  switch (a.kind) {
    case 'note':
    case 'transcript':
      return { ...common, hs_timestamp: a.occurredAt, hs_note_body: noteBody(subjectOf(a), a.body) };
    case 'task':
      return { ...common, ...TASK_DEFAULTS, hs_task_subject: a.subject, hs_task_body: html(a.body), hs_timestamp: a.dueAt ?? a.occurredAt };
    case 'call':
      return {
        ...common,
        hs_call_title: a.subject,
        hs_call_body: html(a.body),
        hs_timestamp: a.occurredAt,
        ...(a.endAt ? { hs_call_duration: String(Math.max(0, Date.parse(a.endAt) - Date.parse(a.occurredAt))) } : {}),
      };
    case 'meeting':
      return {
        ...common,
        hs_meeting_title: a.subject,
        hs_meeting_body: html(a.body),
        hs_timestamp: a.occurredAt,
        hs_meeting_start_time: a.occurredAt,
        hs_meeting_end_time: a.endAt ?? a.occurredAt,
      };
  }
}

/** Inline associations on create: to the contact, and to its open deal when there is one. */
export function activityAssociations(a: CanonicalActivity): { to: { id: string }; types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[] }[] {
  const ids = ASSOCIATION_TYPE_IDS[OBJECT_OF_KIND[a.kind]];
  const link = (id: string, associationTypeId: number) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as const, associationTypeId }] });
  return [link(a.contact.id, ids.contact), ...(a.deal ? [link(a.deal.id, ids.deal)] : [])];
}

/** A transcript is a note; its subject says it is a transcript so people can tell them apart. */
function subjectOf(a: CanonicalActivity): string {
  return a.kind === 'transcript' && !/transcript/i.test(a.subject) ? `Transcript: ${a.subject}` : a.subject;
}

function noteBody(subject: string, body: string): string {
  return subject ? `<p><strong>${escape(subject)}</strong></p>${html(body)}` : html(body);
}

/** Plain text as HubSpot's rich text: escaped, paragraphs on blank lines, line breaks kept. */
export function html(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/).filter((p) => p.trim() !== '');
  return paragraphs.map((p) => `<p>${escape(p).replaceAll('\n', '<br>')}</p>`).join('');
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

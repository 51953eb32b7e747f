import type { CanonicalActivity } from '../outbound.js';

/**
 * Notes and activities have no field we can make unique, so the idempotency key rides at the
 * end of the note's content (or the activity's note), where a replay finds it.
 */
export const marker = (key: string) => `[crm-sync:${key}]`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => ESCAPES[ch] as string);
const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot);/g, (m) => Object.entries(ESCAPES).find(([, e]) => e === m)?.[0] ?? m);

/** The keys of the markers in a note's HTML. */
export const markersIn = (html: unknown): string[] =>
  typeof html === 'string' ? [...html.matchAll(/\[crm-sync:([^\]]+)\]/g)].map((m) => unescapeHtml(m[1] as string)) : [];

/** Pipedrive keeps notes up to about 100 KB of HTML. */
const CONTENT_MAX = 90_000;

/** Plain text as Pipedrive's note HTML: paragraphs, line breaks, the marker last. */
export function noteHtml(a: CanonicalActivity, withSubject: boolean): string {
  const body = a.body.length > CONTENT_MAX ? `${a.body.slice(0, CONTENT_MAX)}…` : a.body;
  const paragraphs = body
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  const title = withSubject && a.subject ? [`<p><b>${escapeHtml(a.subject)}</b></p>`] : [];
  return [...title, ...paragraphs, `<p>${escapeHtml(marker(a.key))}</p>`].join('');
}

export type PipedriveObject = 'note' | 'activity';
/** Notes and transcripts are notes; tasks, calls and meetings are activities of that type. */
export const objectOf = (a: CanonicalActivity): PipedriveObject => (a.kind === 'note' || a.kind === 'transcript' ? 'note' : 'activity');

const two = (n: number) => String(n).padStart(2, '0');

/** Pipedrive's due_date and due_time (UTC); a time of exactly midnight UTC is a day with no time. */
function due(iso: string): { due_date: string; due_time?: string } {
  const d = new Date(iso);
  const day = d.toISOString().slice(0, 10);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return { due_date: day };
  return { due_date: day, due_time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` };
}

/** HH:MM between two times, within a day (Pipedrive's duration format). */
function duration(from: string, to: string): string | undefined {
  const minutes = Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
  if (!Number.isFinite(minutes) || minutes <= 0) return undefined;
  const capped = Math.min(minutes, 23 * 60 + 59);
  return `${two(Math.floor(capped / 60))}:${two(capped % 60)}`;
}

/**
 * The v1 body of a note about a person (and its open deal). The connecting user is its author:
 * only admins may set another author (`user_id`), and a note has no assignee to speak of.
 */
export function noteBody(a: CanonicalActivity): Record<string, unknown> {
  const v: Record<string, unknown> = { content: noteHtml(a, true), person_id: Number(a.contact.id) };
  if (a.deal) v.deal_id = Number(a.deal.id);
  return v;
}

/**
 * The v2 body of an activity (a v2 create costs 5 tokens where v1 costs 10): a task is due and
 * not done; a call or meeting happened (done) at its time, with its duration. The person is the
 * primary participant; the assignee is `owner_id`.
 */
export function activityBody(a: CanonicalActivity): Record<string, unknown> {
  const v: Record<string, unknown> = {
    subject: a.subject.slice(0, 255),
    type: a.kind,
    participants: [{ person_id: Number(a.contact.id), primary: true }],
    note: noteHtml(a, false),
    done: a.kind !== 'task',
    ...due(a.kind === 'task' ? (a.dueAt ?? a.occurredAt) : a.occurredAt),
  };
  const end = a.endAt ?? (a.kind === 'task' ? undefined : a.dueAt);
  const length = a.kind !== 'task' && end ? duration(a.occurredAt, end) : undefined;
  if (length) v.duration = length;
  if (a.deal) v.deal_id = Number(a.deal.id);
  if (a.ownerId) v.owner_id = Number(a.ownerId);
  return v;
}

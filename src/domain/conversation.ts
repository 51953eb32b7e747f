import { z } from 'zod';
import type { ErrorDetail } from '../errors.js';
import { invalidEmail, normalizeEmail, normalizePhone } from './contact-points.js';
import { HttpUrl, PlatformId, PropertyMap, Timestamp, toEpoch } from './schema-parts.js';

export const CHANNELS = ['whatsapp', 'sms', 'webchat', 'email', 'call', 'meeting'] as const;
export type Channel = (typeof CHANNELS)[number];
export const QUALIFICATION_STATUSES = ['pending', 'qualified', 'unqualified'] as const;

export const AttachmentInput = z
  .object({ name: z.string().max(500), url: HttpUrl, contentType: z.string().max(200).optional(), size: z.number().int().min(0).optional() })
  .strict();

export const MessageInput = z
  .object({
    id: PlatformId,
    direction: z.enum(['inbound', 'outbound']),
    author: z.string().max(300).optional(),
    text: z.string().max(100_000).default(''),
    sentAt: Timestamp,
    attachments: z.array(AttachmentInput).max(50).optional(),
  })
  .strict();
export type MessageInput = z.infer<typeof MessageInput>;

export const ParticipantInput = z
  .object({ clientId: PlatformId, email: z.string().max(320), phone: z.string().max(64) })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length === 1, 'give exactly one of clientId, email or phone');

export const CommitmentInput = z
  .object({ text: z.string().min(1, 'must not be empty').max(5_000), dueAt: Timestamp.optional(), ownerEmail: z.string().max(320).optional() })
  .strict();

export const QualificationInput = z
  .object({
    status: z.enum(QUALIFICATION_STATUSES),
    provisional: z.boolean().optional(),
    score: z.number().min(0).max(100).optional(),
  })
  .strict();

/** The fields of a conversation, before the cross-field checks of `ConversationInput`. */
export const ConversationFields = z
  .object({
    clientIds: z.array(PlatformId).max(100),
    participants: z.array(ParticipantInput).max(100),
    channel: z.enum(CHANNELS),
    isGroup: z.boolean(),
    title: z.string().max(500),
    url: HttpUrl,
    startedAt: Timestamp,
    endedAt: Timestamp,
    messages: z.array(MessageInput).max(5_000),
    summary: z.string().max(50_000),
    keyNotes: z.array(z.string().max(10_000)).max(200),
    commitments: z.array(CommitmentInput).max(200),
    specificFields: PropertyMap,
    qualification: QualificationInput,
  })
  .partial()
  .strict();

/** Adds the checks that span fields (an end before the start). */
export function withTimeOrder<S extends z.ZodType<{ startedAt?: string; endedAt?: string }>>(schema: S) {
  return schema.refine((c) => !c.startedAt || !c.endedAt || Date.parse(c.endedAt) >= Date.parse(c.startedAt), {
    message: 'must not be before startedAt',
    path: ['endedAt'],
  });
}

export const ConversationInput = withTimeOrder(ConversationFields);
export type ConversationInput = z.infer<typeof ConversationInput>;

/** `POST /v1/conversations/{id}/messages` takes one message, or `{"messages": [...]}`. */
export const MessagesInput = z.preprocess(
  (b) => (b && typeof b === 'object' && !Array.isArray(b) && !('messages' in b) ? { messages: [b] } : b),
  z.object({ messages: z.array(MessageInput).min(1).max(5_000) }).strict(),
);

export interface Participant {
  kind: 'client' | 'email' | 'phone';
  value: string;
}

export interface Message {
  id: string;
  direction: 'inbound' | 'outbound';
  author?: string;
  text: string;
  sentAt: string;
  attachments: z.infer<typeof AttachmentInput>[];
}

/** A conversation as stored (without its messages, which have their own rows). */
export interface ConversationBody {
  id: string;
  channel?: Channel;
  isGroup: boolean;
  title?: string;
  url?: string;
  startedAt?: string;
  endedAt?: string;
  participants: Participant[];
  summary?: string;
  keyNotes: string[];
  commitments: { text: string; dueAt?: string; ownerEmail?: string }[];
  specificFields: Record<string, unknown>;
  qualification?: { status: (typeof QUALIFICATION_STATUSES)[number]; provisional: boolean; score?: number };
}

export function normalizeConversation(
  id: string,
  input: ConversationInput,
  defaultCountry: string,
  path = '',
): { ok: true; body: ConversationBody; messages: Message[] } | { ok: false; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const participants: Participant[] = (input.clientIds ?? []).map((value) => ({ kind: 'client', value }));
  (input.participants ?? []).forEach((p, i) => {
    if (p.clientId) participants.push({ kind: 'client', value: p.clientId });
    else if (p.email !== undefined) {
      const value = normalizeEmail(p.email);
      if (value) participants.push({ kind: 'email', value });
      else details.push({ path: at(`participants[${i}].email`), message: invalidEmail(p.email) });
    } else if (p.phone !== undefined) {
      const value = normalizePhone(p.phone, defaultCountry);
      if (value) participants.push({ kind: 'phone', value });
      else details.push({ path: at(`participants[${i}].phone`), message: `${JSON.stringify(p.phone)} is not a valid phone number` });
    }
  });
  const commitments = (input.commitments ?? []).map((c, i) => {
    let ownerEmail: string | undefined;
    if (c.ownerEmail?.trim()) {
      ownerEmail = normalizeEmail(c.ownerEmail);
      if (!ownerEmail) details.push({ path: at(`commitments[${i}].ownerEmail`), message: invalidEmail(c.ownerEmail) });
    }
    return { text: c.text, dueAt: isoOrUndefined(c.dueAt), ownerEmail };
  });
  const seenMessages = new Set<string>();
  (input.messages ?? []).forEach((m, i) => {
    if (seenMessages.has(m.id)) details.push({ path: at(`messages[${i}].id`), message: `message id ${JSON.stringify(m.id)} appears twice` });
    seenMessages.add(m.id);
  });
  if (details.length) return { ok: false, details };
  const uniqueParticipants = participants.filter(
    (p, i) => participants.findIndex((q) => q.kind === p.kind && q.value === p.value) === i,
  );
  const q = input.qualification;
  return {
    ok: true,
    body: {
      id,
      channel: input.channel,
      isGroup: input.isGroup ?? false,
      title: input.title?.trim() || undefined,
      url: input.url,
      startedAt: isoOrUndefined(input.startedAt),
      endedAt: isoOrUndefined(input.endedAt),
      participants: uniqueParticipants,
      summary: input.summary?.trim() || undefined,
      keyNotes: (input.keyNotes ?? []).map((n) => n.trim()).filter(Boolean),
      commitments,
      specificFields: input.specificFields ?? {},
      qualification: q ? { status: q.status, provisional: q.provisional ?? false, score: q.score } : undefined,
    },
    messages: (input.messages ?? []).map(normalizeMessage),
  };
}

export function normalizeMessage(m: MessageInput): Message {
  return {
    id: m.id,
    direction: m.direction,
    author: m.author?.trim() || undefined,
    text: m.text,
    sentAt: new Date(Date.parse(m.sentAt)).toISOString(),
    attachments: m.attachments ?? [],
  };
}

function isoOrUndefined(iso: string | undefined): string | undefined {
  const ms = toEpoch(iso);
  return ms === null ? undefined : new Date(ms).toISOString();
}

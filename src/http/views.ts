import { z } from 'zod';
import { ClientView } from '../domain/client.js';
import { CompanyView } from '../domain/company.js';
import { AttachmentInput, CHANNELS, QUALIFICATION_STATUSES } from '../domain/conversation.js';
import type { ClientTable, CompanyTable, ConversationTable } from '../store/schema.js';
import { readJson } from '../store/store.js';
import type { Message } from '../domain/conversation.js';

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const WriteResultSchema = z.enum(['created', 'updated', 'unchanged']);

export const MessageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  author: z.string().optional(),
  text: z.string(),
  sentAt: z.string(),
  attachments: z.array(AttachmentInput),
});

export const ConversationView = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS).optional(),
  isGroup: z.boolean(),
  title: z.string().optional(),
  url: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  participants: z.array(z.object({ kind: z.enum(['client', 'email', 'phone']), value: z.string() })),
  summary: z.string().optional(),
  keyNotes: z.array(z.string()),
  commitments: z.array(z.object({ text: z.string(), dueAt: z.string().optional(), ownerEmail: z.string().optional() })),
  specificFields: z.record(z.string(), z.unknown()),
  qualification: z
    .object({ status: z.enum(QUALIFICATION_STATUSES), provisional: z.boolean(), score: z.number().optional() })
    .optional(),
  messages: z.array(MessageView),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationView = z.infer<typeof ConversationView>;

const stamps = (r: { version: number; created_at: number; updated_at: number }) => ({
  version: r.version,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function stampedView<B>(body: B, r: { version: number; createdAt: number; updatedAt: number }): B & { version: number; createdAt: string; updatedAt: string } {
  return { ...body, version: r.version, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() };
}

export function clientView(row: ClientTable): ClientView {
  return { ...readJson<Omit<ClientView, 'version' | 'createdAt' | 'updatedAt'>>(row.body), ...stamps(row) };
}

export function companyView(row: CompanyTable): CompanyView {
  return { ...readJson<Omit<CompanyView, 'version' | 'createdAt' | 'updatedAt'>>(row.body), ...stamps(row) };
}

export function conversationView(row: ConversationTable, messages: Message[]): ConversationView {
  return { ...readJson<Omit<ConversationView, 'version' | 'createdAt' | 'updatedAt' | 'messages'>>(row.body), messages, ...stamps(row) };
}

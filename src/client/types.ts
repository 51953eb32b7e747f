/**
 * The request and response bodies, inferred from the zod schemas the server validates
 * with. Only `import type` here: the client's runtime never loads server code.
 */
import type { z } from 'zod';
import type { ClientInput, ClientView } from '../domain/client.js';
import type { CompanyInput, CompanyView } from '../domain/company.js';
import type { DealInput, DealView } from '../domain/deal.js';
import type { ConversationInput as ConversationSchema, MessageInput as MessageSchema } from '../domain/conversation.js';
import type { ErrorCode, ErrorDetail } from '../errors.js';
import type { ConversationView, ErrorBodySchema, WriteResultSchema } from '../http/views.js';
import type { ApiKeyView, CreateApiKeyBody, NewApiKeyView } from '../workspaces/api-key-view.js';
import type { ConnectionProgress } from '../connections/progress.js';
import type { AuditEntryView, AuditPageView, AuditQuery } from '../workspaces/audit-view.js';

export type { ApiKeyView, AuditEntryView, AuditPageView, AuditQuery, ClientInput, ClientView, CompanyInput, CompanyView, ConnectionProgress, ConversationView, DealInput, DealView, ErrorCode, ErrorDetail, NewApiKeyView };
/** `POST /v1/api-keys`: a name and at least one of the scopes `ingest`, `admin`. */
export type ApiKeyInput = CreateApiKeyBody;

/** What the caller sends (fields with a server-side default, such as a message's text, are optional). */
export type ConversationInput = z.input<typeof ConversationSchema>;
export type MessageInput = z.input<typeof MessageSchema>;
export type WriteResult = z.infer<typeof WriteResultSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export interface ClientWrite {
  result: WriteResult;
  client: ClientView;
}
export interface CompanyWrite {
  result: WriteResult;
  company: CompanyView;
}
export interface DealWrite {
  result: WriteResult;
  deal: DealView;
}
export interface ConversationWrite {
  result: WriteResult;
  conversation: ConversationView;
}

export interface BatchInput {
  clients?: (ClientInput & { id: string })[];
  companies?: (CompanyInput & { id: string })[];
  conversations?: (ConversationInput & { id: string })[];
  deals?: (DealInput & { id: string })[];
}
export interface BatchItemResult {
  id: string;
  result: WriteResult;
  version: number;
}
export interface BatchResult {
  clients: BatchItemResult[];
  companies: BatchItemResult[];
  conversations: BatchItemResult[];
  deals: BatchItemResult[];
}

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'sqlite' | 'postgres';
}

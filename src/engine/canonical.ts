import type { CanonicalActivity, CanonicalContact, CrmRef } from '../connectors/outbound.js';
import type { ClientBody } from '../domain/client.js';
import type { ConnectionSettings } from '../domain/connection-settings.js';
import type { ConversationBody, Message } from '../domain/conversation.js';
import { contentHash } from '../domain/hash.js';

const CHANNEL_LABEL: Record<string, string> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  webchat: 'Web chat',
  email: 'E-mail',
  call: 'Call',
  meeting: 'Meeting',
};

/** The lead source crm-sync writes where a CRM has one (PRODUCT.md S4). */
export const LEAD_SOURCE = 'crm-sync';

/**
 * A client as the CRM should see it (PRODUCT.md S2): empty values are left out so an update
 * never blanks a CRM field (Y5). Mapped properties are filled in by the caller after coercion.
 */
export function contactFromClient(client: ClientBody, properties: Record<string, string | number | boolean>, ownerId: string | undefined): CanonicalContact {
  const phone = client.phones[0]?.value;
  const address = client.address && Object.fromEntries(Object.entries(client.address).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
  return {
    clientId: client.id,
    firstName: client.firstName,
    lastName: client.lastName,
    emails: client.emails.map((e) => e.value),
    phones: client.phones.map((p) => p.value),
    company: client.company,
    address: address && Object.keys(address).length ? address : undefined,
    ownerId,
    fallbackName: phone ? `New WhatsApp contact: ${phone}` : client.emails[0] ? `New contact: ${client.emails[0].value}` : `New contact ${client.id}`,
    properties,
    leadSource: LEAD_SOURCE,
  };
}

/**
 * What a conversation becomes in the CRM (PRODUCT.md S1, S2): its summary and key notes as a
 * note (channel as subject, time as date), commitments as tasks, calls and meetings as
 * activities, messages as a transcript. Keys are stable hashes of what is written, so a replay
 * writes nothing new and a changed summary is a new note.
 */
export function activitiesFromConversation(
  conversation: ConversationBody,
  messages: Message[],
  contact: CrmRef,
  deal: CrmRef | undefined,
  objects: ConnectionSettings['objects'],
  owners: Map<string, string>,
): CanonicalActivity[] {
  const out: CanonicalActivity[] = [];
  const channel = conversation.channel ? (CHANNEL_LABEL[conversation.channel] ?? conversation.channel) : 'Conversation';
  const at = conversation.startedAt ?? messages[0]?.sentAt ?? new Date().toISOString();
  const base = { contact, deal };
  const key = (kind: string, content: unknown) => `${conversation.id}:${kind}:${contentHash({ contact: contact.id, content }).slice(0, 16)}`;

  if (objects.notes && (conversation.summary || conversation.keyNotes.length)) {
    const body = [conversation.summary, ...(conversation.keyNotes.length ? ['', 'Key notes:', ...conversation.keyNotes.map((n) => `- ${n}`)] : [])]
      .filter((l) => l !== undefined)
      .join('\n')
      .trim();
    out.push({ ...base, key: key('note', body), kind: 'note', subject: conversation.title ? `${channel}: ${conversation.title}` : channel, body, occurredAt: at });
  }
  if (objects.tasks) {
    for (const c of conversation.commitments) {
      out.push({
        ...base,
        key: key('task', c),
        kind: 'task',
        subject: c.text.length > 120 ? `${c.text.slice(0, 117)}...` : c.text,
        body: `${c.text}\n\nFrom the ${channel.toLowerCase()} conversation${conversation.url ? `: ${conversation.url}` : ''}`,
        occurredAt: at,
        dueAt: c.dueAt,
        ownerId: c.ownerEmail ? owners.get(c.ownerEmail) : undefined,
      });
    }
  }
  if (objects.activities && (conversation.channel === 'call' || conversation.channel === 'meeting')) {
    out.push({
      ...base,
      key: key(conversation.channel, [conversation.startedAt, conversation.endedAt]),
      kind: conversation.channel,
      subject: conversation.title ?? channel,
      body: conversation.summary ?? '',
      occurredAt: at,
      endAt: conversation.endedAt,
    });
  }
  if (objects.transcripts && messages.length) {
    const body = messages.map((m) => `[${m.sentAt.slice(0, 16).replace('T', ' ')}] ${m.author ?? (m.direction === 'inbound' ? 'Client' : 'Us')}: ${m.text}`).join('\n');
    out.push({ ...base, key: key('transcript', body), kind: 'transcript', subject: `${channel} transcript`, body, occurredAt: at });
  }
  return out;
}

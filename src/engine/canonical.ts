import type { CanonicalActivity, CanonicalCompany, CanonicalContact, CanonicalDeal, CrmRef } from '../connectors/outbound.js';
import type { ClientBody } from '../domain/client.js';
import type { CompanyBody } from '../domain/company.js';
import type { DealBody } from '../domain/deal.js';
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
export function contactFromClient(
  client: ClientBody,
  properties: Record<string, string | number | boolean>,
  ownerId: string | undefined,
  chatUrl?: string,
): CanonicalContact {
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
    chatUrl,
  };
}

/**
 * A company as the CRM should see it (PRODUCT.md Y4). Its free properties are the platform's,
 * not CRM property names: field mappings are for contacts, so none are sent.
 */
export function companyFromBody(company: CompanyBody): CanonicalCompany {
  return { companyId: company.id, name: company.name, domain: company.domain, externalAccountId: company.externalAccountId, properties: {} };
}

/** A deal to create for a contact (PRODUCT.md S8); its key is our deal id, so a replay finds the deal it made. */
export function dealFromBody(deal: DealBody, contact: CrmRef, company: CrmRef | undefined, ownerId: string | undefined): CanonicalDeal {
  return { key: deal.id, contact, company, title: deal.title, amount: deal.amount, currency: deal.currency, closeDate: deal.closeDate, ownerId };
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
  contactName: string,
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
  if (objects.transcripts) out.push(...chatNotes(conversation, messages, channel, contactName, base));
  return out;
}

/**
 * The messages of one conversation and one day as one note (PRODUCT.md S5), titled
 * "WhatsApp chat with Ana Ruiz (20/11/2026)", with the attachments' links and the chat's URL.
 * Its key is the day, not the content: later messages of the same day grow that note (the
 * engine sees the content changed and has the connector update it); the next day is a new one.
 * Days are UTC days.
 */
function chatNotes(conversation: ConversationBody, messages: Message[], channel: string, contactName: string, base: { contact: CrmRef; deal?: CrmRef }): CanonicalActivity[] {
  const byDay = new Map<string, Message[]>();
  for (const m of messages) byDay.set(m.sentAt.slice(0, 10), [...(byDay.get(m.sentAt.slice(0, 10)) ?? []), m]);
  return [...byDay.entries()].map(([day, dayMessages]) => {
    const [y, mo, d] = day.split('-');
    const lines = dayMessages.map((m) => {
      const who = m.author ?? (m.direction === 'inbound' ? contactName : 'Us');
      const files = m.attachments.map((a) => `\n  (attachment: ${a.name} ${a.url})`).join('');
      return `[${m.sentAt.slice(11, 16)}] ${who}: ${m.text}${files}`;
    });
    if (conversation.url) lines.push('', `Chat: ${conversation.url}`);
    return {
      ...base,
      key: `${conversation.id}:chat:${base.contact.id}:${day}`,
      kind: 'transcript' as const,
      subject: `${channel} chat with ${contactName} (${d}/${mo}/${y})`,
      body: lines.join('\n'),
      occurredAt: dayMessages[0]!.sentAt,
    };
  });
}

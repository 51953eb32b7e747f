import type { ClientInput } from '../domain/client.js';
import type { Channel, ConversationInput } from '../domain/conversation.js';

// Sample people and what they talk about, for the demo's trickle. Deterministic by index,
// so the same demo store always grows the same way.
const FIRST = ['Lucía', 'Marco', 'Aisha', 'Tomás', 'Hana', 'Oliver', 'Priya', 'Jonas', 'Sofia', 'Kwame', 'Elena', 'Mateo'];
const LAST = ['García', 'Rossi', 'Khan', 'Novák', 'Sato', 'Bennett', 'Iyer', 'Schmidt', 'Costa', 'Mensah', 'Popescu', 'Fernández'];
const COMPANIES = ['Northwind Foods', 'Bluefin Logistics', 'Atlas Dental', 'Verde Solar', 'Kite Travel', 'Orbit Fitness'];
const SEGMENTS = ['smb', 'enterprise', 'partner'];
const TOPICS = [
  { need: 'a quote for 40 seats', budget: 12000, next: 'Send the quote for 40 seats' },
  { need: 'a demo of the WhatsApp inbox', budget: 5000, next: 'Book a product demo' },
  { need: 'pricing for the annual plan', budget: 9000, next: 'Share annual pricing' },
  { need: 'help migrating from their old CRM', budget: 15000, next: 'Call back with a migration plan' },
];
export const CHANNEL_CYCLE: Channel[] = ['whatsapp', 'email', 'call'];

const pick = <T>(list: T[], i: number): T => list[i % list.length]!;

export function sampleClient(n: number): ClientInput {
  const first = pick(FIRST, n);
  const last = pick(LAST, n * 7 + 3);
  const company = pick(COMPANIES, n * 5 + 1);
  return {
    firstName: first,
    lastName: last,
    emails: [`${ascii(first)}.${ascii(last)}.${n}@example.com`],
    phones: [`+34 600 ${String(100 + (n % 900)).padStart(3, '0')} ${String(100 + ((n * 37) % 900)).padStart(3, '0')}`],
    company,
    segments: [pick(SEGMENTS, n)],
    properties: { leadScore: 40 + ((n * 13) % 60), source: 'crm-sync demo' },
  };
}

export function sampleConversation(n: number, clientId: string, name: string, now: number): ConversationInput {
  const channel = pick(CHANNEL_CYCLE, n - 1);
  const topic = pick(TOPICS, n * 3 + 1);
  const started = now - 20 * 60_000;
  const at = (min: number) => new Date(started + min * 60_000).toISOString();
  const lines: [('inbound' | 'outbound'), string][] = [
    ['inbound', `Hi, this is ${name}. We are looking for ${topic.need}.`],
    ['outbound', 'Thanks for reaching out! How many people would use it?'],
    ['inbound', `Around 40, and our budget is about ${topic.budget} EUR.`],
    ['outbound', `Great, I will follow up: ${topic.next.toLowerCase()}.`],
  ];
  return {
    clientIds: [clientId],
    channel,
    title: { whatsapp: `WhatsApp chat with ${name}`, email: `Re: ${topic.need}`, call: `Call with ${name}` }[channel as 'whatsapp' | 'email' | 'call'],
    startedAt: at(0),
    endedAt: at(12),
    messages: lines.map(([direction, text], i) => ({ id: `demo-msg-${n}-${i}`, direction, text, sentAt: at(i * 3), author: direction === 'inbound' ? name : 'Demo agent' })),
    summary: `${name} asked for ${topic.need}; budget about ${topic.budget} EUR. Next step: ${topic.next.toLowerCase()}.`,
    keyNotes: [`Needs ${topic.need}`, `Budget about ${topic.budget} EUR`],
    commitments: [{ text: topic.next, dueAt: new Date(now + 2 * 86_400_000).toISOString() }],
    specificFields: { budget: topic.budget, seats: 40 },
    qualification: { status: n % 4 === 3 ? 'pending' : 'qualified', provisional: n % 2 === 0, score: 55 + ((n * 11) % 45) },
  };
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

import type { ClientInput, ConversationInput } from '../../src/client/index.js';

/** Bodies shaped like a platform's real traffic: every documented field, realistic sizes. */
export function clientBody(i: number): ClientInput {
  return {
    firstName: `Ana${i}`,
    lastName: 'Ruiz García',
    emails: [`ana.${i}@acme${i % 97}.io`],
    phones: [`+34 6${String(i).padStart(8, '0')}`],
    company: `Acme ${i % 97}`,
    companyId: `co-${i % 97}`,
    address: { street: 'Calle Mayor 1', city: 'Madrid', state: 'Madrid', zip: '28001', country: 'ES' },
    ownerEmail: `seller${i % 7}@platform.io`,
    segments: ['enterprise', i % 2 ? 'inbound' : 'outbound'],
    properties: { score: i % 100, source: 'bench' },
  };
}

export const MESSAGES_PER_CONVERSATION = 20;

export function conversationBody(i: number, clientId: string): ConversationInput {
  const start = Date.UTC(2026, 10, 20, 10) + i * 60_000;
  const at = (m: number) => new Date(start + m * 30_000).toISOString();
  return {
    clientIds: [clientId],
    channel: 'whatsapp',
    isGroup: false,
    title: `Conversation ${i}`,
    url: `https://platform.example/conversations/${i}`,
    startedAt: at(0),
    endedAt: at(MESSAGES_PER_CONVERSATION),
    messages: Array.from({ length: MESSAGES_PER_CONVERSATION }, (_, m) => ({
      id: `m${m}`,
      direction: m % 2 ? ('outbound' as const) : ('inbound' as const),
      author: m % 2 ? 'Seller' : 'Ana',
      text: `Message ${m} of conversation ${i}: about the quote, the delivery dates and the price per seat.`,
      sentAt: at(m),
    })),
    summary: 'The client wants a quote for 50 seats before the end of the month.',
    keyNotes: ['Budget approved', 'Decision in two weeks'],
    commitments: [{ text: 'Send the quote', dueAt: at(60 * 48), ownerEmail: 'seller@platform.io' }],
    specificFields: { budget: '50000', seats: 50 },
    qualification: { status: 'qualified', provisional: true, score: 80 },
  };
}

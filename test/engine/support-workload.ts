/** What the fault test ingests: 300 clients (every tenth with only a phone) and 60 conversations, every third a call. */
export function faultyWorkload() {
  const clients = Array.from({ length: 300 }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    const phoneOnly = i % 10 === 9;
    return {
      id: `fc-${n}`,
      firstName: `Fay${n}`,
      lastName: `Ult${n}`,
      company: `Faulty ${n}`,
      emails: phoneOnly ? [] : [`Fay${n}@Faults.test`],
      phones: phoneOnly ? [`+34 62${n.padStart(7, '0')}`] : [],
    };
  });
  const conversations = Array.from({ length: 60 }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    const call = i % 3 === 0;
    return {
      id: `fv-${n}`,
      clientIds: [`fc-${n}`],
      channel: call ? ('call' as const) : ('whatsapp' as const),
      title: `Talk ${n}`,
      startedAt: '2026-11-20T10:00:00Z',
      endedAt: '2026-11-20T10:20:00Z',
      summary: `Summary of talk ${n}.`,
      keyNotes: [`Key point ${n}`],
      commitments: [{ text: `Follow up ${n}`, dueAt: '2026-11-27T09:00:00Z' }],
    };
  });
  return { clients, conversations };
}

/** The CRM state the workload must end in, whatever faults were on the way. */
export function expectedState(work: ReturnType<typeof faultyWorkload>) {
  return {
    clients: new Map(
      work.clients.map((c) => [
        c.id,
        {
          id: c.id,
          firstName: c.firstName,
          lastName: c.lastName,
          company: c.company,
          email: c.emails[0]?.toLowerCase(),
          phone: c.phones[0]?.replaceAll(' ', ''),
        },
      ]),
    ),
    conversations: work.conversations.map((c) => c.id),
    calls: work.conversations.filter((c) => c.channel === 'call').map((c) => c.id),
    clientOf: new Map(work.conversations.map((c) => [c.id, c.clientIds[0]!])),
    summaries: new Map(work.conversations.map((c) => [c.id, c.summary])),
    commitments: new Map(work.conversations.map((c) => [c.id, c.commitments[0]!.text])),
  };
}

import { describe, it } from 'vitest';
import { autochatOutbound as out } from '../../src/connectors/autochat/outbound.js';
import type { CanonicalActivity, CanonicalContact } from '../../src/connectors/outbound.js';
import { expectMalformed, failureOf, rejection, stubContext } from './vendor-answers.js';

const BASE = 'https://autochat.example.test/api/v1';
const NAME = 'AutoChat CRM';
const client = (n: number): CanonicalContact => ({ clientId: `client-${n}`, emails: [`p${n}@example.test`], phones: [], fallbackName: `Client ${n}`, properties: {} });

describe('AutoChat CRM answers in a shape crm-sync does not read', () => {
  it('a user list without data is a clear refusal, not a TypeError', async () => {
    const ctx = stubContext(BASE, () => ({ body: { users: [], next_cursor: null } }));
    expectMalformed(await rejection(out.findOwnerByEmail(ctx, 'a@example.test')), NAME, /data/);
  });

  it('a lookup answer without emails is a clear refusal', async () => {
    const ctx = stubContext(BASE, () => ({ body: { phones: [] } }));
    expectMalformed(await rejection(out.matchContacts(ctx, [client(1)])), NAME, /emails/);
  });

  it('a client batch answer without data fails each client clearly', async () => {
    const ctx = stubContext(BASE, (req) => (req.url.endsWith('/fields') ? { body: { data: [], next_cursor: null } } : { body: { clients: [] } }));
    const outcomes = await out.upsertContacts(ctx, [1, 2].map((n) => ({ contact: client(n), allowCreate: true })));
    for (const o of outcomes) expectMalformed(failureOf(o), NAME, /data/);
  });

  it('an upserted client without an id is a failure, not a reference to "undefined"', async () => {
    const ctx = stubContext(BASE, () => ({ status: 201, body: { name: 'Client 1' } }));
    const [o] = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
    expectMalformed(failureOf(o), NAME, /id/);
  });

  it('an activity batch answer whose results are not a list fails each activity clearly', async () => {
    const ctx = stubContext(BASE, () => ({ body: { data: { index: 0 } } }));
    const activity: CanonicalActivity = { key: 'k-1', kind: 'note', contact: { object: 'client', id: 'c-1' }, subject: 'Note', body: 'Hello', occurredAt: '2026-01-01T10:00:00Z', maybeWritten: false };
    const [o] = await out.writeActivities(ctx, [activity]);
    expectMalformed(failureOf(o), NAME, /data/);
  });
});

import { describe, it } from 'vitest';
import { dynamicsOutbound as out } from '../../src/connectors/dynamics/outbound.js';
import type { CanonicalContact } from '../../src/connectors/outbound.js';
import { expectMalformed, failureOf, rejection, stubContext, type Answer } from './vendor-answers.js';

const BASE = 'https://org.crm4.dynamics.com/api/data/v9.2';
const NAME = 'Microsoft Dynamics 365';
const CONTACT = '0d2f6a6e-0000-4000-8000-000000000001';
/** A `$batch` answer of one part per request in it, each the same JSON body. */
function batchOf(sent: unknown, body: unknown): Answer {
  const parts = (String(sent).match(/^(GET|POST|PATCH) /gm) ?? []).map(() => `--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n`);
  return { body: `${parts.join('')}--b--\r\n`, headers: { 'content-type': 'multipart/mixed; boundary=b' } };
}
const client = (n: number): CanonicalContact => ({ clientId: `client-${n}`, emails: [`p${n}@example.test`], phones: [], fallbackName: `Client ${n}`, properties: {} });

describe('Dynamics 365 answers in a shape crm-sync does not read', () => {
  it('an entity set without value is a clear refusal, not "no match" (which would create a duplicate)', async () => {
    const noValue = { '@odata.context': `${BASE}/$metadata#contacts` };
    const ctx = stubContext(BASE, (req) => (req.url.endsWith('/$batch') ? batchOf(req.body, noValue) : { body: noValue }));
    expectMalformed(await rejection(out.matchContacts(ctx, [client(1)])), NAME, /value/);
  });

  it('a row without its id is a clear refusal', async () => {
    const ctx = stubContext(BASE, () => ({ body: { value: [{ internalemailaddress: 'a@example.test' }] } }));
    expectMalformed(await rejection(out.findOwnerByEmail(ctx, 'a@example.test')), NAME, /systemuserid/);
  });

  it('column metadata without value is a clear refusal, not a TypeError', async () => {
    const ctx = stubContext(BASE, () => ({ body: {} }));
    expectMalformed(await rejection(out.describeContactProperties(ctx)), NAME, /value/);
  });

  it('a created opportunity without its id is a failure, not a reference to "undefined"', async () => {
    const ctx = stubContext(BASE, () => ({ status: 201, body: { name: 'Deal' } }));
    const o = await out.createDeal!(ctx, { key: 'd-1', title: 'Deal', contact: { object: 'contacts', id: CONTACT } });
    expectMalformed(failureOf(o), NAME, /opportunityid/);
  });
});

import { describe, it } from 'vitest';
import { odooOutbound as out } from '../../src/connectors/odoo/outbound.js';
import type { CanonicalContact } from '../../src/connectors/outbound.js';
import type { ConnectionTarget } from '../../src/connectors/types.js';
import { expectMalformed, failureOf, rejection, stubContext, type Answer } from './vendor-answers.js';

const SERVER = 'https://odoo.example.test';
const NAME = 'Odoo';
const JSONRPC: ConnectionTarget = { api: 'jsonrpc', odoo: { protocol: 'jsonrpc', uid: 2 } } as ConnectionTarget;
const client = (n: number): CanonicalContact => ({ clientId: `client-${n}`, emails: [`p${n}@example.test`], phones: [], fallbackName: `Client ${n}`, properties: {} });
/** A /jsonrpc answer carrying `result`, as Odoo gives it with HTTP 200. */
const rpc = (result: unknown): Answer => ({ body: { jsonrpc: '2.0', id: 1, result } });

describe('Odoo answers in a shape crm-sync does not read', () => {
  it('a JSON-RPC search_read result that is not a list of records is a clear refusal', async () => {
    const ctx = stubContext(SERVER, () => rpc({ records: [] }), JSONRPC);
    expectMalformed(await rejection(out.matchContacts(ctx, [client(1)])), NAME, /res\.partner\.search_read/);
  });

  it('a JSON-RPC record without its id is a clear refusal', async () => {
    const ctx = stubContext(SERVER, () => rpc([{ login: 'a@example.test', email: false }]), JSONRPC);
    expectMalformed(await rejection(out.findOwnerByEmail(ctx, 'a@example.test')), NAME, /id/);
  });

  it('a JSON-2 search_read answer that is an object is a clear refusal', async () => {
    const ctx = stubContext(SERVER, () => ({ body: { id: 5 } }));
    expectMalformed(await rejection(out.findOpenDeal(ctx, { object: 'res.partner', id: '7' })), NAME, /crm\.lead\.search_read/);
  });

  it('a create that answers ids that are not numbers fails each record clearly', async () => {
    const ctx = stubContext(SERVER, (req) => {
      if (req.url.endsWith('/fields_get')) return { body: { name: { type: 'char', string: 'Name' }, ref: { type: 'char', string: 'Reference' } } };
      if (req.url.endsWith('/create')) return { body: ['new'] };
      return { body: [] };
    });
    const outcomes = await out.upsertContacts(ctx, [{ contact: client(1), allowCreate: true }]);
    expectMalformed(failureOf(outcomes[0]), NAME, /res\.partner\.create/);
  });

  it('fields_get answering a list is a clear refusal', async () => {
    const ctx = stubContext(SERVER, () => ({ body: [] }));
    expectMalformed(await rejection(out.describeContactProperties(ctx)), NAME, /fields_get/);
  });
});

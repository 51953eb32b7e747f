import { describe, it } from 'vitest';
import { pipedriveOutbound as out } from '../../src/connectors/pipedrive/outbound.js';
import { expectMalformed, rejection, stubContext } from './vendor-answers.js';

const BASE = 'https://acme.pipedrive.com';
const NAME = 'Pipedrive';

describe('Pipedrive answers in a shape crm-sync does not read', () => {
  it('a user list whose data is not a list is a clear refusal, not a TypeError', async () => {
    const ctx = stubContext(BASE, () => ({ body: { success: true, data: { id: 1, email: 'a@example.test' } } }));
    expectMalformed(await rejection(out.findOwnerByEmail(ctx, 'a@example.test')), NAME, /data/);
  });

  it("a person's deals without ids are a clear refusal", async () => {
    const ctx = stubContext(BASE, () => ({ body: { success: true, data: [{ status: 'open', person_id: 7 }], additional_data: { next_cursor: null } } }));
    expectMalformed(await rejection(out.findOpenDeal(ctx, { object: 'person', id: '7' })), NAME, /id/);
  });

  it('person fields of the wrong shape are a clear refusal, not a validation library error', async () => {
    const ctx = stubContext(BASE, () => ({ body: { success: true, data: [{ id: 1 }], additional_data: {} } }));
    expectMalformed(await rejection(out.describeContactProperties(ctx)), NAME, /key|name/);
  });
});

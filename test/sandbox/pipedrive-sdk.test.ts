import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration as V1Configuration, NotesApi } from 'pipedrive/v1';
import { Configuration as V2Configuration, DealsApi, PersonsApi } from 'pipedrive/v2';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';
import { ADMIN_TOKEN } from './pipedrive/support.js';

/**
 * The official `pipedrive` SDK (v33) against the sandbox: v1 and v2 clients each
 * take `basePath` (the company domain plus /api/v1 or /api/v2) and `apiKey`, which
 * they send as the x-api-token header.
 */
describe('pipedrive SDK against the sandbox', () => {
  let sb: RunningSandbox;
  let persons: PersonsApi;
  let deals: DealsApi;
  let notes: NotesApi;
  beforeAll(async () => {
    sb = await startSandbox();
    const base = sb.baseUrl('pipedrive');
    const v1 = new V1Configuration({ apiKey: ADMIN_TOKEN, basePath: `${base}/api/v1` });
    const v2 = new V2Configuration({ apiKey: ADMIN_TOKEN, basePath: `${base}/api/v2` });
    persons = new PersonsApi(v2);
    deals = new DealsApi(v2);
    notes = new NotesApi(v1);
  });
  afterAll(() => sb.close());

  it('creates a person, a note on it and a deal, then lists and searches', async () => {
    const person = await persons.addPerson({ AddPersonRequest: { name: 'Sdk Person', emails: [{ value: 'sdk@example.com', primary: true, label: 'work' }], phones: [{ value: '+3725550000', primary: true, label: 'mobile' }] } });
    expect(person.success).toBe(true);
    const personId = person.data!.id!;
    expect(person.data).toMatchObject({ name: 'Sdk Person', emails: [{ value: 'sdk@example.com', primary: true, label: 'work' }] });

    const note = await notes.addNote({ AddNoteRequest: { content: 'Met at the fair', person_id: personId } });
    expect(note.data).toMatchObject({ content: 'Met at the fair', person_id: personId });

    const deal = await deals.addDeal({ AddDealRequest: { title: 'Sdk deal', value: 990, currency: 'EUR', person_id: personId } });
    expect(deal.data).toMatchObject({ title: 'Sdk deal', value: 990, currency: 'EUR', person_id: personId, status: 'open' });

    const list = await persons.getPersons({ limit: 10 });
    expect(list.data!.map((p) => p.id)).toContain(personId);
    expect(list.additional_data?.next_cursor).toBeNull();

    const found = await persons.searchPersons({ term: 'sdk@example.com', fields: 'email', exact_match: true });
    expect(found.data!.items!.map((i) => i.item!.id)).toEqual([personId]);
  });

  it('surfaces the sandbox\'s error body through the SDK', async () => {
    await expect(persons.getPerson({ id: 9999 })).rejects.toMatchObject({ success: false, error: 'Person not found' });
  });
});

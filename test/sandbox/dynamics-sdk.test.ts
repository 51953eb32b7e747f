import { DynamicsWebApi } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials } from './dynamics/helpers.js';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';

/**
 * Fidelity: the de-facto Dataverse client, dynamics-web-api, against the sandbox.
 * It resolves `api/data/v9.2/` against `serverUrl`, so the URL must end with a slash.
 */
describe('dynamics-web-api against the Dataverse sandbox', () => {
  let sb: RunningSandbox;
  let client: DynamicsWebApi;
  beforeAll(async () => {
    sb = await startSandbox();
    const base = sb.baseUrl('dynamics');
    const token = ((await (await clientCredentials(base)).json()) as { access_token: string }).access_token;
    client = new DynamicsWebApi({ serverUrl: `${base}/`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token });
  });
  afterAll(() => sb.close());

  it('creates a contact and retrieves it', async () => {
    const id = await client.create<unknown, string>({ collection: 'contacts', data: { firstname: 'Ada', lastname: 'Lovelace', emailaddress1: 'ada@example.com' } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const contact = await client.retrieve<{ fullname: string; emailaddress1: string; contactid: string; oDataContext: string }>({
      collection: 'contacts',
      key: id,
      select: ['fullname', 'emailaddress1'],
    });
    expect(contact.fullname).toBe('Ada Lovelace');
    expect(contact.emailaddress1).toBe('ada@example.com');
    expect(contact.contactid).toBe(id);
    expect(contact.oDataContext).toContain('$metadata#contacts(fullname,emailaddress1)/$entity');
  });

  it('upserts by alternate key, creating then updating the same row', async () => {
    const first = await client.upsert<unknown, string>({ collection: 'contacts', key: "cs_crmsyncid='sdk-1'", data: { firstname: 'Grace', lastname: 'Hopper' } });
    const second = await client.upsert<unknown, string>({ collection: 'contacts', key: "cs_crmsyncid='sdk-1'", data: { jobtitle: 'Admiral' } });
    expect(second).toBe(first);
    const row = await client.retrieve<{ fullname: string; jobtitle: string }>({ collection: 'contacts', key: "cs_crmsyncid='sdk-1'", select: ['fullname', 'jobtitle'] });
    expect(row).toMatchObject({ fullname: 'Grace Hopper', jobtitle: 'Admiral' });
    const prevented = await client.upsert({ collection: 'contacts', key: "cs_crmsyncid='sdk-1'", data: { jobtitle: 'x' }, ifnonematch: '*' });
    expect(prevented).toBeNull();
  });

  it('retrieves multiple rows with a filter, and pages through all of them', async () => {
    const result = await client.retrieveMultiple<{ fullname: string }>({
      collection: 'contacts',
      select: ['fullname'],
      filter: "startswith(lastname,'Hop')",
      count: true,
    });
    expect(result.value.map((r) => r.fullname)).toEqual(['Grace Hopper']);
    expect(result.oDataCount).toBe(1);
    const all = await client.retrieveAll<{ fullname: string }>({ collection: 'contacts', select: ['fullname'], maxPageSize: 1, orderBy: ['lastname'] });
    expect(all.value.map((r) => r.fullname)).toEqual(['Grace Hopper', 'Ada Lovelace']);
  });

  it('runs a $batch with creates in a change set and a GET outside it', async () => {
    client.startBatch();
    client.create({ collection: 'accounts', data: { name: 'Batch Account' }, contentId: '1' });
    client.create({ collection: 'contacts', data: { lastname: 'Batchwise', 'parentcustomerid_account@odata.bind': '$1' } });
    client.retrieveMultiple({ collection: 'accounts', select: ['name'], filter: "name eq 'Batch Account'" });
    const responses = await client.executeBatch({ inChangeSet: true });
    expect(responses).toHaveLength(3);
    const [accountId, contactId, query] = responses as [string, string, { value: { name: string; accountid: string }[] }];
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
    expect(query.value).toEqual([expect.objectContaining({ name: 'Batch Account', accountid: accountId })]);
    const contact = await client.retrieve<{ _parentcustomerid_value: string }>({ collection: 'contacts', key: contactId, select: ['_parentcustomerid_value'] });
    expect(contact._parentcustomerid_value).toBe(accountId);
  });

  it('rolls back a change set when one of its requests fails', async () => {
    client.startBatch();
    client.create({ collection: 'accounts', data: { name: 'Rolled Back' } });
    client.create({ collection: 'contacts', data: { nosuchcolumn: 1 } });
    await expect(client.executeBatch()).rejects.toBeDefined();
    const left = await client.retrieveMultiple({ collection: 'accounts', select: ['name'], filter: "name eq 'Rolled Back'" });
    expect(left.value).toEqual([]);
  });
});

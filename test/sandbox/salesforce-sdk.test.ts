import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveConsent, startSalesforce, type SalesforceHarness } from './salesforce/client.js';

/** jsforce, the de-facto Salesforce client, against the sandbox: the wire format must satisfy it. */
describe('Salesforce sandbox with jsforce 3', () => {
  let h: SalesforceHarness;
  beforeAll(async () => {
    h = await startSalesforce();
  });
  afterAll(() => h.sb.close());

  it('creates a Lead, reads it back by SOQL, and records the API usage it reports', async () => {
    await h.reset();
    const conn = new jsforce.Connection({ instanceUrl: h.base, accessToken: h.account.credentials.sessionId, version: '60.0' });
    const created = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines', Email: 'ada@example.com' });
    expect(created).toMatchObject({ success: true, errors: [] });
    expect(created.id).toMatch(/^00Q[A-Za-z0-9]{15}$/);

    const result = await conn.query<{ Id: string; Name: string; Email: string; Status: string }>(
      "SELECT Id, Name, Email, Status FROM Lead WHERE Email = 'ADA@example.com'",
    );
    expect(result.totalSize).toBe(1);
    expect(result.done).toBe(true);
    expect(result.records[0]).toMatchObject({ Id: created.id, Name: 'Ada Lovelace', Email: 'ada@example.com', Status: 'Open - Not Contacted' });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 100000 });
  });

  it('creates several records through sObject Collections, updates them and upserts by external id', async () => {
    await h.reset();
    const conn = new jsforce.Connection({ instanceUrl: h.base, accessToken: h.account.credentials.sessionId, version: '60.0' });
    const results = await conn.sobject('Lead').create([
      { LastName: 'One', Company: 'A' },
      { LastName: 'Two', Company: 'B' },
      { LastName: 'Three' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, true, false]);
    const failed = results[2] as unknown as { errors: unknown[] };
    expect(failed.errors).toEqual([{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }]);

    const ids = results.filter((r) => r.success).map((r) => r.id as string);
    const updated = await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Rating: 'Hot' })));
    expect(updated.map((r) => r.success)).toEqual([true, true]);

    const single = await conn.sobject('Lead').update({ Id: ids[0] as string, Title: 'CTO' });
    expect(single).toEqual({ id: ids[0], success: true, errors: [] });

    const upserted = await conn.sobject('Lead').upsert({ CrmSync_Id__c: 'conv-42', LastName: 'Hopper', Company: 'Navy' }, 'CrmSync_Id__c');
    expect(upserted).toMatchObject({ success: true, created: true });
    const again = await conn.sobject('Lead').upsert({ CrmSync_Id__c: 'conv-42', Title: 'Rear Admiral' }, 'CrmSync_Id__c');
    expect(again).toMatchObject({ success: true, created: false, id: (upserted as { id: string }).id });

    const many = await conn.sobject('Contact').upsert(
      [
        { CrmSync_Id__c: 'c-1', LastName: 'Curie' },
        { CrmSync_Id__c: 'c-2', LastName: 'Noether' },
      ],
      'CrmSync_Id__c',
    );
    expect(many.map((r) => [r.success, (r as { created?: boolean }).created])).toEqual([
      [true, true],
      [true, true],
    ]);

    const rows = await conn.query<{ LastName: string; Rating: string | null; Title: string | null }>('SELECT LastName, Rating, Title FROM Lead ORDER BY LastName');
    expect(rows.records.map((r) => [r.LastName, r.Rating, r.Title])).toEqual([
      ['Hopper', null, 'Rear Admiral'],
      ['One', 'Hot', 'CTO'],
      ['Two', 'Hot', null],
    ]);

    const retrieved = await conn.sobject('Lead').retrieve(ids);
    expect(retrieved.map((r) => (r as { LastName?: string } | null)?.LastName)).toEqual(['One', 'Two']);
    const destroyed = await conn.sobject('Lead').destroy(ids);
    expect(destroyed.map((r) => r.success)).toEqual([true, true]);
  });

  it('follows query locators to the end with autoFetch', async () => {
    await h.reset();
    const conn = new jsforce.Connection({ instanceUrl: h.base, accessToken: h.account.credentials.sessionId, version: '60.0' });
    for (let batch = 0; batch < 3; batch++) {
      await conn.sobject('Contact').create(Array.from({ length: 200 }, (_, i) => ({ LastName: `P${batch * 200 + i}` })));
    }
    const records: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query('SELECT Id, LastName FROM Contact', { autoFetch: true, maxFetch: 10_000, headers: { 'Sforce-Query-Options': 'batchSize=250' } })
        .on('record', (r) => records.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(records).toHaveLength(600);
    // Three creates, then three pages of at most 250 records.
    expect(conn.limitInfo.apiUsage).toEqual({ used: 6, limit: 100000 });
  });

  it('describes objects, including the custom external id field', async () => {
    const conn = new jsforce.Connection({ instanceUrl: h.base, accessToken: h.account.credentials.sessionId, version: '60.0' });
    const lead = await conn.sobject('Lead').describe();
    expect(lead.keyPrefix).toBe('00Q');
    const ext = lead.fields.find((f) => f.name === 'CrmSync_Id__c');
    expect(ext).toMatchObject({ externalId: true, custom: true, type: 'string', unique: true, idLookup: true });
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('OpportunityContactRole');
  });

  it('logs in through the OAuth 2 web server flow with PKCE and refreshes an expired session', async () => {
    await h.reset();
    const oauth2 = new jsforce.OAuth2({
      loginUrl: h.base,
      clientId: h.account.oauth.clientId,
      clientSecret: h.account.oauth.clientSecret,
      redirectUri: 'http://localhost:5173/oauth/callback',
      useVerifier: true,
    });
    const callback = await approveConsent(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-1' }));
    expect(callback.searchParams.get('state')).toBe('st-1');
    const conn = new jsforce.Connection({ oauth2, version: '60.0' });
    const userInfo = await conn.authorize(callback.searchParams.get('code') as string);
    expect(userInfo.organizationId).toBe(h.account.credentials.organizationId);
    expect(userInfo.id).toBe(h.account.users[0]?.id);
    expect(conn.instanceUrl).toBe(h.base);
    expect(conn.refreshToken).toBeTruthy();

    const identity = await conn.identity();
    expect(identity.username).toBe('admin@sandbox.crm-sync.test');

    await fetch(`${h.sb.origin}/sandbox/__control/expire-tokens?crm=salesforce`, { method: 'POST' });
    let refreshed = '';
    conn.on('refresh', (token: string) => (refreshed = token));
    const count = await conn.query('SELECT COUNT() FROM User WHERE IsActive = true');
    expect(count.totalSize).toBe(2);
    expect(refreshed).toMatch(/!AQ/);
  });
});

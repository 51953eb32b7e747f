import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soql, startSalesforce, type SalesforceHarness } from './client.js';

describe('Salesforce sandbox: SOQL', () => {
  let h: SalesforceHarness;
  const names = (res: { body: { records: { LastName?: string; Name?: string }[] } }) => res.body.records.map((r) => r.LastName ?? r.Name);
  beforeAll(async () => {
    h = await startSalesforce();
    const account = (await h.api('POST', '/sobjects/Account', { Name: 'Acme' })).body.id;
    const people = [
      { LastName: 'Adams', FirstName: 'Ann', Email: 'ann@acme.test', AccountId: account, Birthdate: '1990-01-15' },
      { LastName: 'Baker', FirstName: 'Bob', Email: 'bob@other.test', AutoChat_Score__c: 72.5 },
      { LastName: 'Clark', Email: 'CLARK@acme.test', AccountId: account, AutoChat_Score__c: 30 },
      { LastName: "O'Neil", Title: 'VP' },
    ];
    for (const p of people) await h.api('POST', '/sobjects/Contact', p);
  });
  afterAll(() => h.sb.close());

  it('filters with =, !=, LIKE, IN, NULL, AND/OR and parentheses, case-insensitively', async () => {
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE Email LIKE '%@ACME.test' ORDER BY LastName")))).toEqual(['Adams', 'Clark']);
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE LastName IN ('adams', 'baker') ORDER BY LastName DESC")))).toEqual(['Baker', 'Adams']);
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE LastName NOT IN ('ADAMS', 'baker') AND Email != null ORDER BY LastName")))).toEqual(['Clark']);
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE Email IN ('nobody@x.test', null) ORDER BY LastName")))).toEqual(["O'Neil"]);
    expect(names(await h.api('GET', soql('SELECT LastName FROM Contact WHERE Email = null')))).toEqual(["O'Neil"]);
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE LastName = 'O\\'Neil'")))).toEqual(["O'Neil"]);
    expect(names(await h.api('GET', soql("select lastname from contact where (AutoChat_Score__c > 50 or Title = 'VP') and LastName != 'Baker'")))).toEqual(["O'Neil"]);
    expect(names(await h.api('GET', soql("SELECT LastName FROM Contact WHERE NOT LastName LIKE 'A%' AND Email != null ORDER BY LastName")))).toEqual(['Baker', 'Clark']);
    expect(names(await h.api('GET', soql('SELECT LastName FROM Contact WHERE Birthdate < 2000-01-01')))).toEqual(['Adams']);
    expect(names(await h.api('GET', soql('SELECT LastName FROM Contact WHERE CreatedDate = TODAY AND CreatedDate > LAST_N_DAYS:3 ORDER BY LastName LIMIT 1')))).toEqual(['Adams']);
  });

  it('returns parents as nested records, orders with NULLS LAST, pages with LIMIT and OFFSET, and counts', async () => {
    const res = await h.api('GET', soql('SELECT Id, LastName, Account.Name, Owner.Email FROM Contact ORDER BY Account.Name NULLS LAST, LastName LIMIT 3'));
    expect(res.body.totalSize).toBe(3);
    expect(res.body.records[0]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${res.body.records[0].Id}` },
      Id: res.body.records[0].Id,
      LastName: 'Adams',
      Account: { attributes: { type: 'Account', url: '/services/data/v60.0/sobjects/Account/0018c0000000001AAA' }, Name: 'Acme' },
      Owner: { attributes: { type: 'User', url: `/services/data/v60.0/sobjects/User/${h.account.users[0]?.id}` }, Email: 'admin@sandbox.crm-sync.test' },
    });
    expect(res.body.records.map((r: { Account: unknown }) => r.Account === null)).toEqual([false, false, true]);
    expect(names(await h.api('GET', soql('SELECT LastName FROM Contact ORDER BY AutoChat_Score__c DESC NULLS LAST LIMIT 2 OFFSET 1')))).toEqual(['Clark', 'Adams']);
    expect((await h.api('GET', soql('SELECT COUNT() FROM Contact WHERE AccountId != null'))).body).toEqual({ totalSize: 2, done: true, records: [] });
  });

  it('reports malformed queries, unknown fields and objects as Salesforce does', async () => {
    expect((await h.api('GET', soql('SELECT Id FRM Contact'))).body).toEqual([
      { message: "\nSELECT Id FRM Contact\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'", errorCode: 'MALFORMED_QUERY' },
    ]);
    expect((await h.api('GET', soql("SELECT Id FROM Contact WHERE LastName = 'a' AND Title = 'b' OR Email = 'c'"))).body[0].errorCode).toBe('MALFORMED_QUERY');
    const unknown = await h.api('GET', soql('SELECT Id, Shoe_Size__c FROM Contact'));
    expect([unknown.status, unknown.body[0].errorCode]).toEqual([400, 'INVALID_FIELD']);
    expect(unknown.body[0].message).toContain("No such column 'Shoe_Size__c' on entity 'Contact'.");
    const noObject = await h.api('GET', soql('SELECT Id FROM Widget'));
    expect(noObject.body[0]).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(noObject.body[0].message).toContain("sObject type 'Widget' is not supported.");
    expect((await h.api('GET', soql('SELECT FIELDS(ALL) FROM Contact'))).body[0].message).toContain('The SOQL FIELDS function must have a LIMIT of at most 200');
    expect((await h.api('GET', soql('SELECT FIELDS(CUSTOM) FROM Contact LIMIT 1'))).body.records[0]).toEqual(
      expect.objectContaining({ CrmSync_Id__c: null, AutoChat_Score__c: null, Qualification__c: null }),
    );
  });

  it('pages through nextRecordsUrl with the batch size asked for, then refuses an unknown locator', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `L${String(i).padStart(3, '0')}`, Company: 'Bulk' }));
    for (let i = 0; i < 3; i++) expect((await h.api('POST', '/composite/sobjects', { records })).status).toBe(200);
    const first = await h.api('GET', soql("SELECT Id, LastName FROM Lead WHERE Company = 'Bulk'"), undefined, { 'sforce-query-options': 'batchSize=250' });
    expect(first.body).toMatchObject({ totalSize: 600, done: false });
    expect(first.body.records).toHaveLength(250);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v60\.0\/query\/01g[A-Za-z0-9]{15}-250$/);
    const seen = [...first.body.records];
    let next: string | undefined = first.body.nextRecordsUrl;
    let pages = 1;
    while (next) {
      const page = await fetch(`${h.base}${next}`, { headers: { authorization: `Bearer ${h.account.credentials.sessionId}` } }).then((r) => r.json() as Promise<{ records: unknown[]; nextRecordsUrl?: string; done: boolean }>);
      seen.push(...page.records);
      next = page.nextRecordsUrl;
      pages++;
    }
    expect([pages, seen.length, new Set(seen.map((r: { Id: string }) => r.Id)).size]).toEqual([3, 600, 600]);
    const defaultPage = await h.api('GET', soql("SELECT Id FROM Lead WHERE Company = 'Bulk'"));
    expect([defaultPage.body.done, defaultPage.body.records.length]).toEqual([true, 600]);
    expect(await h.api('GET', '/query/01g000000000000AAA-2000')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }] });
  });

  it('sees deleted records only through queryAll', async () => {
    const id = (await h.api('POST', '/sobjects/Lead', { LastName: 'Gone', Company: 'X' })).body.id;
    await h.api('DELETE', `/sobjects/Lead/${id}`);
    expect((await h.api('GET', soql("SELECT Id FROM Lead WHERE LastName = 'Gone'"))).body.totalSize).toBe(0);
    expect((await h.api('GET', `/queryAll?q=${encodeURIComponent("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'")}`)).body.records).toEqual([
      { attributes: { type: 'Lead', url: `/services/data/v60.0/sobjects/Lead/${id}` }, Id: id, IsDeleted: true },
    ]);
  });
});

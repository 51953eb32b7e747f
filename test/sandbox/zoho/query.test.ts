import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { authorize, json, zoho } from './helpers.js';

describe('Zoho sandbox: search and COQL', () => {
  let sb: RunningSandbox;
  let token: string;
  const call = (path: string, init?: { method?: string; body?: unknown }) => zoho(sb, token, path, init);
  const coql = (select_query: string) => call('/coql', { method: 'POST', body: { select_query } });

  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    sb.sandbox.reset('zoho');
    token = (await authorize(sb)).access_token;
    await call('/Leads', {
      method: 'POST',
      body: {
        data: [
          { Last_Name: 'Alpha', First_Name: 'Ann', Email: 'ann@alpha.io', Phone: '+15550001', Company: 'Alpha Inc', Lead_Source: 'Chat' },
          { Last_Name: 'Beta', Email: 'bob@beta.io', Mobile: '+15550002', Company: 'Beta (EU), Ltd', Lead_Source: 'Web Research' },
          { Last_Name: 'Gamma', Phone: '+15550003', Lead_Source: 'Chat' },
        ],
      },
    });
  });

  it('searches by criteria with or / and, and by email, phone and word', async () => {
    const or = await json<{ data: { Last_Name: string }[]; info: Record<string, unknown> }>(await call(`/Leads/search?criteria=${encodeURIComponent('((Email:equals:ann@alpha.io)or(Phone:equals:+15550003))')}`));
    expect(or.data.map((r) => r.Last_Name)).toEqual(['Alpha', 'Gamma']);
    expect(or.info).toMatchObject({ count: 2, page: 1, more_records: false });
    const and = await json<{ data: { Last_Name: string }[] }>(await call(`/Leads/search?criteria=${encodeURIComponent('((Lead_Source:equals:Chat)and(Last_Name:starts_with:Gam))')}`));
    expect(and.data.map((r) => r.Last_Name)).toEqual(['Gamma']);
    const escaped = await json<{ data: { Last_Name: string }[] }>(await call(`/Leads/search?criteria=${encodeURIComponent('(Company:equals:Beta \\(EU\\)\\, Ltd)')}`));
    expect(escaped.data.map((r) => r.Last_Name)).toEqual(['Beta']);
    const email = await json<{ data: { Last_Name: string }[] }>(await call('/Leads/search?email=BOB@beta.io'));
    expect(email.data.map((r) => r.Last_Name)).toEqual(['Beta']);
    const phone = await json<{ data: { Last_Name: string }[] }>(await call(`/Leads/search?phone=${encodeURIComponent('+15550002')}`));
    expect(phone.data.map((r) => r.Last_Name)).toEqual(['Beta']);
    const word = await json<{ data: { Last_Name: string }[] }>(await call('/Leads/search?word=alpha'));
    expect(word.data.map((r) => r.Last_Name)).toEqual(['Alpha']);
  });

  it('answers 204 with no body when a search finds nothing, and INVALID_QUERY for bad criteria', async () => {
    const none = await call('/Leads/search?email=nobody@example.com');
    expect(none.status).toBe(204);
    expect(await none.text()).toBe('');
    const bad = await call('/Leads/search?criteria=(Email:eq:x)');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'INVALID_QUERY', details: { reason: 'invalid criteria' }, message: 'Please check whether the input values are correct', status: 'error' });
    const unknownField = await call('/Leads/search?criteria=(Shoe_Size:equals:9)');
    expect((await json(unknownField)).details).toEqual({ reason: 'invalid criteria', api_name: 'Shoe_Size' });
    const missing = await call('/Leads/search');
    expect((await json(missing)).code).toBe('REQUIRED_PARAM_MISSING');
  });

  it('hides new records from search and COQL for the configured lag', async () => {
    sb.sandbox.configure({ searchLagMs: 60_000 }, 'zoho');
    await call('/Leads', { method: 'POST', body: { data: [{ Last_Name: 'Late', Email: 'late@example.com' }] } });
    expect((await call('/Leads/search?email=late@example.com')).status).toBe(204);
    expect((await coql("select Last_Name from Leads where Email = 'late@example.com'")).status).toBe(204);
    sb.sandbox.configure({ searchLagMs: 0 }, 'zoho');
    expect((await call('/Leads/search?email=late@example.com')).status).toBe(200);
  });

  it('runs a COQL subset: where with =, like, in, is null, and/or, order by, limit offset', async () => {
    const eq = await json<{ data: Record<string, unknown>[]; info: Record<string, unknown> }>(await coql("select Last_Name, Email from Leads where Email = 'ann@alpha.io' limit 10"));
    expect(eq.data).toEqual([{ Last_Name: 'Alpha', Email: 'ann@alpha.io', id: expect.stringMatching(/^\d{19}$/) }]);
    expect(eq.info).toEqual({ count: 1, more_records: false });
    const complex = await json<{ data: { Last_Name: string }[] }>(await coql("select Last_Name from Leads where (Lead_Source = 'Chat' and Email is null) or Company like '%beta%' order by Last_Name desc"));
    expect(complex.data.map((r) => r.Last_Name)).toEqual(['Gamma', 'Beta']);
    const inList = await json<{ data: { Last_Name: string }[]; info: { more_records: boolean } }>(await coql("select Last_Name from Leads where Last_Name in ('Alpha', 'Beta', 'Gamma') order by Last_Name limit 1 offset 1"));
    expect(inList.data.map((r) => r.Last_Name)).toEqual(['Beta']);
    expect(inList.info.more_records).toBe(true);
    const ne = await json<{ data: { Last_Name: string }[] }>(await coql("select Last_Name, Owner.email from Leads where Lead_Source != 'Chat'"));
    expect(ne.data).toEqual([{ Last_Name: 'Beta', 'Owner.email': 'admin@sandbox.crm-sync.test', id: expect.any(String) }]);
  });

  it('answers COQL errors in Zoho’s shapes', async () => {
    const syntax = await coql('select from Leads');
    expect(syntax.status).toBe(400);
    expect(await syntax.json()).toEqual({ code: 'SYNTAX_ERROR', details: { clause: 'select' }, message: 'invalid query formed', status: 'error' });
    const column = await coql("select Shoe_Size from Leads where Email = 'x'");
    expect(await column.json()).toEqual({ code: 'INVALID_QUERY', details: { column_name: 'Shoe_Size', clause: 'select' }, message: 'column given seems to be invalid', status: 'error' });
    const limit = await coql('select Last_Name from Leads limit 2001');
    expect((await json(limit)).code).toBe('LIMIT_EXCEEDED');
    expect((await coql("select Last_Name from Leads where Email = 'none@x.io'")).status).toBe(204);
  });
});

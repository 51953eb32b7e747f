import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverse, type DataverseHarness } from './helpers.js';

type Row = Record<string, unknown>;
type Page = { '@odata.context': string; '@odata.count'?: number; '@odata.nextLink'?: string; value: Row[] };
type ErrorBody = { error: { code: string; message: string } };

describe('Dataverse sandbox: OData queries', () => {
  let h: DataverseHarness;
  const people = [
    ['Ada', 'Lovelace', 'ada@example.com', 36, "O'Brien Ltd"],
    ['Grace', 'Hopper', 'grace@navy.example', 85, 'Navy'],
    ['Alan', 'Turing', null, 41, 'Bletchley'],
    ['Katherine', 'Johnson', 'kj@nasa.example', 101, 'NASA'],
    ['Edsger', 'Dijkstra', 'ewd@example.com', 72, null],
  ] as const;
  beforeAll(async () => {
    h = await startDataverse();
    for (const [firstname, lastname, emailaddress1, score, jobtitle] of people) {
      const res = await h.call('contacts', { method: 'POST', body: { firstname, lastname, emailaddress1, cs_leadscore: Math.min(score, 100), jobtitle } });
      expect(res.status).toBe(204);
    }
  });
  afterAll(() => h.close());

  const names = (page: Page) => page.value.map((r) => r.lastname);
  const query = async (q: string) => h.json<Page>(await h.call(`contacts?$select=lastname&${q}`));
  const filter = (f: string) => query(`$filter=${encodeURIComponent(f)}&$orderby=lastname`);

  it('filters with comparison, logical and string functions, case-insensitively', async () => {
    expect(names(await filter("lastname eq 'hopper'"))).toEqual(['Hopper']);
    expect(names(await filter('cs_leadscore ge 72 and cs_leadscore lt 100'))).toEqual(['Dijkstra', 'Hopper']);
    expect(names(await filter("(firstname eq 'Ada' or firstname eq 'Alan') and not contains(emailaddress1,'nasa')"))).toEqual(['Lovelace', 'Turing']);
    expect(names(await filter("startswith(lastname,'J') or endswith(emailaddress1,'.example')"))).toEqual(['Hopper', 'Johnson']);
    expect(names(await filter('emailaddress1 eq null'))).toEqual(['Turing']);
    expect(names(await filter('jobtitle ne null and cs_leadscore gt 40'))).toEqual(['Hopper', 'Johnson', 'Turing']);
    expect(names(await filter("jobtitle eq 'O''Brien Ltd'"))).toEqual(['Lovelace']);
    expect(names(await filter("Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=['Turing','Hopper'])"))).toEqual(['Hopper', 'Turing']);
  });

  it('filters by GUID and dates', async () => {
    const all = await query('$select=contactid&$top=1&$orderby=lastname');
    const id = all.value[0]!.contactid as string;
    expect(names(await filter(`contactid eq ${id}`))).toEqual(['Dijkstra']);
    expect((await filter('createdon gt 2000-01-01T00:00:00Z')).value).toHaveLength(5);
    expect((await filter('modifiedon lt 2000-01-01')).value).toHaveLength(0);
  });

  it('orders, limits with $top and counts with $count=true', async () => {
    const page = await query('$orderby=cs_leadscore desc,lastname&$top=2&$count=true');
    expect(names(page)).toEqual(['Johnson', 'Hopper']);
    expect(page['@odata.count']).toBe(5);
    expect(page['@odata.context']).toBe(`${h.api}/$metadata#contacts(lastname)`);
    expect(page['@odata.nextLink']).toBeUndefined();
  });

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink to the end', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${h.api}/contacts?$select=lastname&$orderby=lastname`;
    let pages = 0;
    while (url) {
      const res: Response = await h.call(url, { headers: { prefer: 'odata.maxpagesize=2' } });
      expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
      const page = await h.json<Page>(res);
      seen.push(...(page.value.map((r) => r.lastname) as string[]));
      url = page['@odata.nextLink'];
      if (url) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/dynamics\/api\/data\/v9\.2\/contacts\?\$select=lastname&\$orderby=lastname&\$skiptoken=%3Ccookie%20pagenumber%3D%22\d%22/);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['Dijkstra', 'Hopper', 'Johnson', 'Lovelace', 'Turing']);
  });

  it('answers bad queries with 0x80060888 and the OData messages', async () => {
    const cases: [string, string][] = [
      ['$select=lastname,nickname', "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'."],
      [`$filter=${encodeURIComponent("nickname eq 'x'")}`, "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'."],
      [`$filter=${encodeURIComponent('lastname eq')}`, "Expression expected at position 11 in 'lastname eq'."],
      [`$filter=${encodeURIComponent("lastname eq 'x' lastname")}`, "Syntax error at position 16 in 'lastname eq 'x' lastname'."],
      [`$filter=${encodeURIComponent('lastname eq 5')}`, "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."],
      [`$filter=${encodeURIComponent("contains(cs_leadscore,'1')")}`, "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true)."],
      ['$skip=2', 'The query parameter $skip is not supported'],
    ];
    for (const [q, message] of cases) {
      const res = await h.call(`contacts?${q}`);
      expect(res.status, q).toBe(400);
      expect(await h.json<ErrorBody>(res), q).toEqual({ error: { code: '0x80060888', message } });
    }
  });

  it('refuses fetchXml and saved or personal views rather than answering every row', async () => {
    const fetchXml = '<fetch><entity name="contact"><attribute name="lastname"/><filter><condition attribute="lastname" operator="eq" value="Hopper"/></filter></entity></fetch>';
    for (const q of [`fetchXml=${encodeURIComponent(fetchXml)}`, 'savedQuery=00000000-0000-0000-00aa-000010001002', 'userQuery=00000000-0000-0000-00aa-000010001003']) {
      const res = await h.call(`contacts?${q}`);
      expect(res.status, q).toBe(400);
      expect(await h.json<ErrorBody>(res), q).toEqual({ error: { code: '0x80060888', message: `The query parameter ${q.split('=')[0]} is not supported` } });
    }
  });

  it('answers a path with a trailing slash as without', async () => {
    expect(names(await h.json<Page>(await h.call(`contacts/?$select=lastname&$filter=${encodeURIComponent("lastname eq 'Hopper'")}`)))).toEqual(['Hopper']);
  });

  it('serves attribute metadata with schema names, custom columns and option sets', async () => {
    const attrs = await h.json<{ value: Row[] }>(await h.call("EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,SchemaName,AttributeType,IsCustomAttribute"));
    const syncId = attrs.value.find((a) => a.LogicalName === 'cs_crmsyncid');
    expect(syncId).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'cs_CrmSyncId', AttributeType: 'String', IsCustomAttribute: true });
    expect(attrs.value.find((a) => a.LogicalName === 'emailaddress1')).toMatchObject({ SchemaName: 'EMailAddress1', IsCustomAttribute: false });

    const custom = await h.json<{ value: Row[] }>(await h.call(`EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName&$filter=${encodeURIComponent('IsCustomAttribute eq true')}`));
    expect(custom.value.map((a) => a.LogicalName)).toEqual(['cs_crmsyncid', 'cs_leadscore', 'cs_qualification', 'cs_lastconversationsummary', 'cs_lastcontactedon']);

    const picklists = await h.json<{ value: { LogicalName: string; OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] } }[] }>(
      await h.call("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)"),
    );
    const qualification = picklists.value.find((p) => p.LogicalName === 'cs_qualification')!;
    expect(qualification.OptionSet.Options.map((o) => [o.Value, o.Label.UserLocalizedLabel.Label])).toEqual([[100000000, 'Cold'], [100000001, 'Warm'], [100000002, 'Hot']]);

    const keys = await h.json<{ value: Row[] }>(await h.call("EntityDefinitions(LogicalName='lead')/Keys"));
    expect(keys.value[0]).toMatchObject({ LogicalName: 'cs_lead_crmsyncid', KeyAttributes: ['cs_crmsyncid'], EntityKeyIndexStatus: 'Active' });
    const entity = await h.json<Row>(await h.call("EntityDefinitions(LogicalName='opportunity')?$select=EntitySetName,PrimaryIdAttribute"));
    expect(entity).toMatchObject({ EntitySetName: 'opportunities', PrimaryIdAttribute: 'opportunityid' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { authorize, json, zoho } from './helpers.js';

type Result = { code: string; details: Record<string, unknown>; message: string; status: string; action?: string; duplicate_field?: string | null };

describe('Zoho sandbox: records', () => {
  let sb: RunningSandbox;
  let token: string;
  const call = (path: string, init?: { method?: string; body?: unknown }) => zoho(sb, token, path, init);
  const insert = async (module: string, data: unknown[]) => json<{ data: Result[] }>(await call(`/${module}`, { method: 'POST', body: { data } }));

  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    sb.sandbox.reset('zoho');
    token = (await authorize(sb)).access_token;
  });

  it('inserts, reads, updates and deletes a lead with Zoho’s per-record results', async () => {
    const res = await call('/Leads', { method: 'POST', body: { data: [{ Last_Name: 'Lovelace', First_Name: 'Ada', Email: 'ada@example.com', Phone: '+1 555 0100', Lead_Source: 'Chat', Chat_Link: 'https://chat.example.com/c/1' }] } });
    expect(res.status).toBe(201);
    const created = (await json<{ data: Result[] }>(res)).data[0]!;
    expect(created).toMatchObject({ code: 'SUCCESS', message: 'record added', status: 'success' });
    expect(Object.keys(created.details).sort()).toEqual(['Created_By', 'Created_Time', 'Modified_By', 'Modified_Time', 'id']);
    expect(created.details.Created_By).toEqual({ name: 'Ada Admin', id: '6045000000100001', email: 'admin@sandbox.crm-sync.test' });
    const id = created.details.id as string;
    expect(id).toMatch(/^\d{19}$/);
    expect(created.details.Created_Time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

    const got = await json<{ data: Record<string, unknown>[] }>(await call(`/Leads/${id}`));
    expect(got.data[0]).toMatchObject({ id, Last_Name: 'Lovelace', Full_Name: 'Ada Lovelace', Email: 'ada@example.com', Lead_Source: 'Chat', Company: null, Owner: { name: 'Ada Admin', id: '6045000000100001', email: 'admin@sandbox.crm-sync.test' } });

    const upd = await call('/Leads', { method: 'PUT', body: { data: [{ id, Phone: '+1 555 0199' }] } });
    expect(upd.status).toBe(200);
    expect((await json<{ data: Result[] }>(upd)).data[0]).toMatchObject({ code: 'SUCCESS', message: 'record updated', details: { id } });
    expect((await json<{ data: Record<string, unknown>[] }>(await call(`/Leads/${id}`))).data[0]!.Phone).toBe('+1 555 0199');

    const del = await call(`/Leads?ids=${id},999`, { method: 'DELETE' });
    expect(del.status).toBe(207);
    expect((await json(del)).data).toEqual([
      { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' },
      { code: 'INVALID_DATA', details: { id: '999' }, message: 'the id given seems to be invalid', status: 'error' },
    ]);
    expect((await call(`/Leads/${id}`)).status).toBe(204);
  });

  it('names the field and type in INVALID_DATA and MANDATORY_NOT_FOUND, with 207 for partial success', async () => {
    const res = await call('/Leads', { method: 'POST', body: { data: [{ Last_Name: 'Ok' }, { Last_Name: 'Bad', Email: 'not-an-email' }, { First_Name: 'NoLast' }, { Last_Name: 'P', Phone: 'call me' }] } });
    expect(res.status).toBe(207);
    const body = await json<{ data: Result[] }>(res);
    expect(body.data[0]!.status).toBe('success');
    expect(body.data[1]).toEqual({ code: 'INVALID_DATA', details: { api_name: 'Email', json_path: '$.data[1].Email', expected_data_type: 'email' }, message: 'invalid data', status: 'error' });
    expect(body.data[2]).toEqual({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name', json_path: '$.data[2].Last_Name' }, message: 'required field not found', status: 'error' });
    expect(body.data[3]!.details).toEqual({ api_name: 'Phone', json_path: '$.data[3].Phone', expected_data_type: 'phone' });
    const allBad = await call('/Leads', { method: 'POST', body: { data: [{ Lead_Source: 'Carrier pigeon', Last_Name: 'X' }] } });
    expect(allBad.status).toBe(400);
    expect((await json<{ data: Result[] }>(allBad)).data[0]!.details).toEqual({ api_name: 'Lead_Source', json_path: '$.data[0].Lead_Source', expected_data_type: 'picklist' });
  });

  it('answers DUPLICATE_DATA when an insert hits the unique Email', async () => {
    const first = (await insert('Contacts', [{ Last_Name: 'One', Email: 'dup@example.com' }])).data[0]!;
    const res = await call('/Contacts', { method: 'POST', body: { data: [{ Last_Name: 'Two', Email: 'DUP@example.com' }] } });
    expect(res.status).toBe(400);
    expect((await json(res)).data).toEqual([
      {
        code: 'DUPLICATE_DATA',
        details: {
          api_name: 'Email',
          json_path: '$.data[0].Email',
          duplicate_record: { id: first.details.id, module: { api_name: 'Contacts', id: '6045000000000002177' }, Owner: { name: 'Ada Admin', id: '6045000000100001' } },
        },
        message: 'duplicate data',
        status: 'error',
      },
    ]);
  });

  it('upserts by duplicate_check_fields: update on a match, insert otherwise', async () => {
    const existing = (await insert('Leads', [{ Last_Name: 'Old', Email: 'u@example.com', Phone: '111' }])).data[0]!;
    const res = await call('/Leads/upsert', { method: 'POST', body: { duplicate_check_fields: ['Email'], data: [{ Last_Name: 'New', Email: 'u@example.com' }, { Last_Name: 'Fresh', Email: 'f@example.com' }] } });
    expect(res.status).toBe(200);
    const [updated, inserted] = (await json<{ data: Result[] }>(res)).data;
    expect(updated).toMatchObject({ code: 'SUCCESS', duplicate_field: 'Email', action: 'update', message: 'record updated', details: { id: existing.details.id } });
    expect(inserted).toMatchObject({ code: 'SUCCESS', duplicate_field: null, action: 'insert', message: 'record added' });
    const got = await json<{ data: Record<string, unknown>[] }>(await call(`/Leads/${existing.details.id}`));
    expect(got.data[0]).toMatchObject({ Last_Name: 'New', Email: 'u@example.com', Phone: '111' });
  });

  it('refuses duplicate_check_fields that are neither system duplicate-check fields nor unique: Phone in a default org', async () => {
    await insert('Leads', [{ Last_Name: 'Old', Email: 'u@example.com', Phone: '111' }]);
    for (const fields of [['Phone'], ['Email', 'Phone'], ['Nope']]) {
      const res = await call('/Leads/upsert', { method: 'POST', body: { duplicate_check_fields: fields, data: [{ Last_Name: 'ByPhone', Phone: '111' }] } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 'INVALID_DATA', details: { api_name: 'duplicate_check_fields', json_path: '$.duplicate_check_fields' }, message: 'invalid data', status: 'error' });
    }
    const accounts = await call('/Accounts/upsert', { method: 'POST', body: { duplicate_check_fields: ['Account_Name'], data: [{ Account_Name: 'Acme' }] } });
    expect(accounts.status).toBe(200);
    expect((await json<{ data: { Last_Name: string }[] }>(await call('/Leads?fields=Last_Name'))).data.map((l) => l.Last_Name)).toEqual(['Old']);
  });

  it('refuses more than 100 records per write and an empty data array', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ Last_Name: `L${i}` }));
    const res = await call('/Leads', { method: 'POST', body: { data: many } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'LIMIT_EXCEEDED', details: { limit: 100, json_path: '$.data' }, message: 'Record count exceeded', status: 'error' });
    const empty = await call('/Leads', { method: 'POST', body: { data: [] } });
    expect(await empty.json()).toEqual({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'data', json_path: '$.data' }, message: 'required field not found', status: 'error' });
  });

  it('requires fields on GET records, and answers INVALID_MODULE and INVALID_URL_PATTERN', async () => {
    const noFields = await call('/Leads');
    expect(noFields.status).toBe(400);
    expect(await noFields.json()).toEqual({ code: 'REQUIRED_PARAM_MISSING', details: { param: 'fields' }, message: 'One of the expected parameter is missing', status: 'error' });
    const badModule = await call('/Widgets?fields=Name');
    expect(badModule.status).toBe(400);
    expect(await badModule.json()).toEqual({ code: 'INVALID_MODULE', details: { resource_path_index: 0 }, message: 'the module name given seems to be invalid', status: 'error' });
    const badUrl = await fetch(`${sb.baseUrl('zoho')}/crm/v9/Leads`);
    expect(badUrl.status).toBe(404);
    expect(await badUrl.json()).toEqual({ code: 'INVALID_URL_PATTERN', details: {}, message: 'Please check if the URL trying to access is a correct one', status: 'error' });
    const malformed = await fetch(`${sb.baseUrl('zoho')}/crm/v8/Leads`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json' }, body: '{"data":[' });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).code).toBe('INVALID_DATA');
  });

  it('pages by number to 2,000 records and by page_token beyond, to the end', async () => {
    for (let b = 0; b < 21; b++) await insert('Leads', Array.from({ length: 100 }, (_, i) => ({ Last_Name: `P${b * 100 + i}` })));
    await insert('Leads', [{ Last_Name: 'P2100' }, { Last_Name: 'P2101' }]);
    const page10 = await json<{ data: unknown[]; info: Record<string, unknown> }>(await call('/Leads?fields=Last_Name&page=10&per_page=200'));
    expect(page10.data).toHaveLength(200);
    expect(page10.info).toMatchObject({ per_page: 200, count: 200, page: 10, more_records: true, sort_by: 'id', sort_order: 'asc' });
    const page11 = await call('/Leads?fields=Last_Name&page=11&per_page=200');
    expect(page11.status).toBe(400);
    expect((await json(page11)).code).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');

    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res = await call(`/Leads?fields=Last_Name&per_page=200${token ? `&page_token=${token}` : ''}`);
      const body = await json<{ data: { Last_Name: string; id: string }[]; info: { next_page_token: string | null; more_records: boolean } }>(res);
      seen.push(...body.data.map((r) => r.Last_Name));
      expect(Object.keys(body.data[0]!).sort()).toEqual(['Last_Name', 'id']);
      token = body.info.next_page_token;
      expect(body.info.more_records).toBe(token !== null);
      pages++;
    } while (token);
    expect(pages).toBe(11);
    expect(seen).toHaveLength(2102);
    expect(seen.at(-1)).toBe('P2101');
    expect(new Set(seen).size).toBe(2102);
  });

  it('links notes, tasks, calls and meetings to their parents', async () => {
    const account = (await insert('Accounts', [{ Account_Name: 'Acme' }])).data[0]!.details.id as string;
    const contact = (await insert('Contacts', [{ Last_Name: 'Cole', Account_Name: { id: account } }])).data[0]!.details.id as string;
    const lead = (await insert('Leads', [{ Last_Name: 'Noted' }])).data[0]!.details.id as string;
    const note = await insert('Notes', [{ Note_Title: 'Chat', Note_Content: 'Asked about pricing', Parent_Id: lead, $se_module: 'Leads' }]);
    expect(note.data[0]!.status).toBe('success');
    await call(`/Leads/${lead}/Notes`, { method: 'POST', body: { data: [{ Note_Content: 'Second' }] } });
    const notes = await json<{ data: Record<string, unknown>[] }>(await call(`/Leads/${lead}/Notes?fields=Note_Content,Parent_Id`));
    expect(notes.data.map((n) => n.Note_Content)).toEqual(['Asked about pricing', 'Second']);
    expect(notes.data[0]!.Parent_Id).toEqual({ module: { api_name: 'Leads', id: '6045000000000002175' }, name: 'Noted', id: lead });
    expect(notes.data[0]!.$se_module).toBe('Leads');

    const c = await json<{ data: Record<string, unknown>[] }>(await call(`/Contacts/${contact}`));
    expect(c.data[0]!.Account_Name).toEqual({ name: 'Acme', id: account });
    const task = await insert('Tasks', [{ Subject: 'Call back', Due_Date: '2025-01-31', Status: 'Not Started', Who_Id: { id: contact }, What_Id: { id: account }, $se_module: 'Accounts' }]);
    expect(task.data[0]!.status).toBe('success');
    const call1 = await insert('Calls', [{ Subject: 'Intro', Call_Type: 'Outbound', Call_Start_Time: '2025-01-02T10:00:00+01:00', Call_Duration: '05:00', Who_Id: contact }]);
    expect(call1.data[0]!.status).toBe('success');
    const badCall = await insert('Calls', [{ Subject: 'Intro', Call_Type: 'Outbound', Call_Start_Time: 'tomorrow' }]);
    expect(badCall.data[0]!.details).toEqual({ api_name: 'Call_Start_Time', json_path: '$.data[0].Call_Start_Time', expected_data_type: 'datetime' });
    const meeting = await insert('Events', [{ Event_Title: 'Demo', Start_DateTime: '2025-01-03T10:00:00+00:00', End_DateTime: '2025-01-03T11:00:00+00:00', What_Id: { id: lead }, $se_module: 'Leads' }]);
    const m = await json<{ data: Record<string, unknown>[] }>(await call(`/Events/${meeting.data[0]!.details.id}`));
    expect(m.data[0]).toMatchObject({ What_Id: { name: 'Noted', id: lead }, $se_module: 'Leads' });
    const deal = await insert('Deals', [{ Deal_Name: 'Big', Stage: 'Qualification', Closing_Date: '2025-03-01', Amount: 1200.5, Account_Name: { id: account } }]);
    expect(deal.data[0]!.status).toBe('success');
    const badLookup = await insert('Contacts', [{ Last_Name: 'X', Account_Name: { id: '1' } }]);
    expect(badLookup.data[0]).toEqual({ code: 'INVALID_DATA', details: { api_name: 'Account_Name', json_path: '$.data[0].Account_Name' }, message: 'invalid data', status: 'error' });
  });
});

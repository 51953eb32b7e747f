import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../src/workspaces/create.js';
import { approveOAuth, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

type Row = { id: string } & Record<string, unknown>;
type Log = { operation: string; status: string; entityId: string | null; crmRecordId: string | null; message: string | null };

describe.each(TEST_DIALECTS)('outbound sync to Zoho CRM on %s', (dialect) => {
  let s: TestServer;
  let connectionId: string;
  const api = async (method: string, path: string, body?: unknown, auth = s.auth) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
  };
  const dump = async () => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=zoho`)).json()) as Record<string, Record<string, Row[]>>).zoho!;
  const logs = async (query: string) => (await api('GET', `/v1/sync-logs?${query}`)).body.items as Log[];
  const settings = (patch: Record<string, unknown>) => api('PATCH', `/v1/connections/${connectionId}`, { settings: patch });
  const syncNow = async () => {
    await api('POST', `/v1/connections/${connectionId}/sync`);
    await s.app.syncWorker.runOnce();
  };
  const leadOf = async (phone: string) => (await dump()).Leads!.filter((l) => l.Phone === phone);
  const notesOf = async (parent: string) => ((await dump()).Notes ?? []).filter((n) => (n.Parent_Id as { id: string }).id === parent).sort((a, b) => (a.id < b.id ? -1 : 1));

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const back = await approveOAuth(s, 'zoho', { baseUrl: s.sandboxUrl('zoho') });
    connectionId = back.searchParams.get('connection')!;
    // "Chat" is in the sandbox's Lead Source picklist; the default "crm-sync" is not (see the activation case).
    const patched = await settings({ objects: { transcripts: true }, destination: { leadSourceValue: 'Chat' } });
    expect(patched.status).toBe(200);
    // Zoho syncs nothing before "Activate integration" (test/engine/activation-gate.test.ts).
    expect((await api('POST', `/v1/connections/${connectionId}/activate`)).status).toBe(200);
  }, 60_000);
  afterAll(() => s.close());

  it('a client without a name becomes "New WhatsApp contact: +34..." and is renamed when the platform sends the name', async () => {
    await api('PUT', '/v1/clients/z-1', { phones: ['+34 600 123 456'] });
    await s.app.syncWorker.runOnce();
    const [created] = await leadOf('+34600123456');
    expect(created).toMatchObject({ Last_Name: 'New WhatsApp contact: +34600123456', Lead_Source: 'Chat' });
    expect((await logs('clientId=z-1'))[0]).toMatchObject({ operation: 'create_lead', status: 'success', crmRecordId: created!.id });

    await api('PUT', '/v1/clients/z-1', { firstName: 'Ana', lastName: 'Ruiz', phones: ['+34 600 123 456'] });
    await syncNow();
    const leads = await leadOf('+34600123456');
    expect(leads.map((l) => [l.id, l.First_Name, l.Last_Name, l.Lead_Source])).toEqual([[created!.id, 'Ana', 'Ruiz', 'Chat']]);
    expect((await logs('clientId=z-1&status=success'))[0]).toMatchObject({ operation: 'update_lead', crmRecordId: created!.id });
  });

  it('a chat becomes one note per day, titled with the name and date; later messages of a day grow that note', async () => {
    const lead = (await leadOf('+34600123456'))[0]!;
    await api('PUT', '/v1/conversations/wa-1', {
      clientIds: ['z-1'],
      channel: 'whatsapp',
      url: 'https://chat.example.test/wa-1',
      messages: [
        { id: 'm1', direction: 'inbound', text: 'Hola, ¿tenéis el modelo X?', sentAt: '2026-11-20T09:15:00Z' },
        { id: 'm2', direction: 'outbound', author: 'Luis', text: 'Sí, te mando el catálogo', sentAt: '2026-11-20T09:20:00Z', attachments: [{ name: 'catalogo.pdf', url: 'https://files.example.test/catalogo.pdf' }] },
      ],
    });
    await s.app.syncWorker.runOnce();
    const [day1] = await notesOf(lead.id);
    expect(await notesOf(lead.id)).toHaveLength(1);
    expect(day1).toMatchObject({ Note_Title: 'WhatsApp chat with Ana Ruiz (20/11/2026)', $se_module: 'Leads' });
    expect(day1!.Note_Content).toBe(
      [
        '[09:15] Ana Ruiz: Hola, ¿tenéis el modelo X?',
        '[09:20] Luis: Sí, te mando el catálogo',
        '  (attachment: catalogo.pdf https://files.example.test/catalogo.pdf)',
        '',
        'Chat: https://chat.example.test/wa-1',
        '',
        '[crm-sync:wa-1:chat:' + lead.id + ':2026-11-20]',
      ].join('\n'),
    );

    await api('POST', '/v1/conversations/wa-1/messages', {
      messages: [
        { id: 'm3', direction: 'inbound', text: 'Perfecto, gracias', sentAt: '2026-11-20T18:40:00Z' },
        { id: 'm4', direction: 'inbound', text: '¿Puedo pasar mañana?', sentAt: '2026-11-21T08:05:00Z' },
      ],
    });
    await syncNow();
    const notes = await notesOf(lead.id);
    expect(notes.map((n) => [n.id, n.Note_Title])).toEqual([
      [day1!.id, 'WhatsApp chat with Ana Ruiz (20/11/2026)'],
      [notes[1]!.id, 'WhatsApp chat with Ana Ruiz (21/11/2026)'],
    ]);
    expect(notes[0]!.Note_Content).toContain('[09:20] Luis: Sí, te mando el catálogo\n  (attachment: catalogo.pdf https://files.example.test/catalogo.pdf)\n[18:40] Ana Ruiz: Perfecto, gracias\n\nChat:');
    expect(notes[1]!.Note_Content).toMatch(/^\[08:05\] Ana Ruiz: ¿Puedo pasar mañana\?\n\nChat: https:\/\/chat\.example\.test\/wa-1\n\n\[crm-sync:/);
    const transcripts = (await logs('clientId=z-1&operation=add_transcript')).map((l) => l.message);
    expect(transcripts.sort()).toEqual([null, null, 'updated with the day’s new messages']);

    // Nothing new: a Sync Now writes nothing.
    const before = JSON.stringify(await dump());
    await syncNow();
    expect(JSON.stringify(await dump())).toBe(before);
  });

  it('a group chat is not synced, and the log says so', async () => {
    const before = ((await dump()).Notes ?? []).length;
    await api('PUT', '/v1/conversations/grp-1', { clientIds: ['z-1'], channel: 'whatsapp', isGroup: true, messages: [{ id: 'g1', direction: 'inbound', text: 'Hola a todos', sentAt: '2026-11-20T10:00:00Z' }] });
    await s.app.syncWorker.runOnce();
    const skipped = (await logs('status=skipped')).filter((l) => l.entityId === 'grp-1');
    expect(skipped).toEqual([expect.objectContaining({ operation: 'sync_conversation', status: 'skipped', message: 'group chats are not synced' })]);
    expect(((await dump()).Notes ?? []).length).toBe(before);
  });

  it('offers only the modules with a phone field, with their fields; other CRMs have no destination choice', async () => {
    const res = await api('GET', `/v1/connections/${connectionId}/destinations`);
    expect(res.status).toBe(200);
    const modules = res.body.modules as { apiName: string; phoneFields: { apiName: string }[] }[];
    expect(modules.map((m) => m.apiName)).toEqual(['Leads', 'Contacts', 'Accounts', 'Chat_Sessions']);
    expect(modules.find((m) => m.apiName === 'Chat_Sessions')!.phoneFields.map((f) => f.apiName)).toEqual(['Customer_Phone']);

    const hubspot = await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: (await s.account('hubspot')).credentials.privateAppToken }, baseUrl: s.sandboxUrl('hubspot') });
    const none = await api('GET', `/v1/connections/${hubspot.body.id as string}/destinations`);
    expect(none.status).toBe(404);
    expect(none.body.error!.message).toBe('HubSpot has no destination choice: crm-sync writes clients to its standard objects.');
    await api('DELETE', `/v1/connections/${hubspot.body.id as string}`);
  });

  it('changing the destination module clears the field choices', async () => {
    // The settings are locked while active; the syncing cases above are done.
    expect((await api('POST', `/v1/connections/${connectionId}/deactivate`)).status).toBe(200);
    await settings({ destination: { module: 'Leads', phoneField: 'Mobile', nameField: 'Last_Name', chatLinkField: 'Chat_Link', leadSourceField: 'Lead_Source', leadSourceValue: 'Chat' } });
    const same = await settings({ destination: { module: 'Leads', phoneField: 'Phone', leadSourceValue: 'Chat' } });
    expect((same.body.settings as { destination: unknown }).destination).toEqual({ module: 'Leads', phoneField: 'Phone', nameField: 'Last_Name', chatLinkField: 'Chat_Link', leadSourceField: 'Lead_Source', leadSourceValue: 'Chat' });
    const changed = await settings({ destination: { module: 'Contacts', leadSourceValue: 'Chat' } });
    expect(changed.status).toBe(200);
    expect((changed.body.settings as { destination: unknown }).destination).toEqual({ module: 'Contacts', leadSourceValue: 'Chat' });
  });

  it('a destination PATCH without the lead-source value keeps the value chosen before', async () => {
    const changed = await settings({ destination: { module: 'Leads' } });
    expect((changed.body.settings as { destination: { leadSourceValue: string } }).destination.leadSourceValue).toBe('Chat');
  });

  it('activation reports what failed; once active the settings are locked until deactivated', async () => {
    // Chat_Sessions has a phone field, but not Zoho's usual Phone: activation names what is missing.
    expect((await settings({ destination: { module: 'Chat_Sessions', nameField: 'Name', leadSourceValue: 'Chat' } })).status).toBe(200);
    const refused = await api('POST', `/v1/connections/${connectionId}/activate`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      code: 'activation_failed',
      message: 'Activation failed: Zoho CRM cannot take clients with these settings: the Chat_Sessions module has no field Phone (chosen as the phone field).',
    });

    expect((await settings({ destination: { module: 'Leads', leadSourceValue: 'crm-sync' } })).status).toBe(200);
    const picklist = await api('POST', `/v1/connections/${connectionId}/activate`);
    expect(picklist.body.error!.message).toMatch(/Leads\.Lead_Source is a picklist without the value "crm-sync": add it in Zoho CRM or choose one of .*"Chat"/);

    expect((await settings({ destination: { leadSourceValue: 'Chat' } })).status).toBe(200);
    const leadsBefore = (await dump()).Leads!.length;
    const ok = await api('POST', `/v1/connections/${connectionId}/activate`);
    expect(ok.status).toBe(200);
    expect(ok.body.testRecord).toMatchObject({ object: 'Leads', removed: true });
    expect((await dump()).Leads!.length).toBe(leadsBefore); // the test record is gone
    expect((ok.body.connection as { settings: { active: boolean } }).settings.active).toBe(true);

    const locked = await settings({ destination: { module: 'Contacts' } });
    expect(locked.status).toBe(409);
    expect(locked.body.error!.message).toMatch(/locked while the connection is active/);
    expect((await api('POST', `/v1/connections/${connectionId}/deactivate`)).status).toBe(200);
    expect((await settings({ destination: { module: 'Leads', leadSourceValue: 'Chat' } })).status).toBe(200);
  });

  it('syncs through the EU data centre for an account that lives there', async () => {
    const other = await createWorkspace(s.t.store, { name: 'EU', defaultCountry: 'ES' });
    const auth = { authorization: `Bearer ${other.apiKey}` };
    const back = await approveOAuth({ ...s, auth }, 'zoho', { baseUrl: s.sandboxUrl('zoho'), region: 'eu' });
    const id = back.searchParams.get('connection')!;
    const view = (await api('GET', `/v1/connections/${id}`, undefined, auth)).body as { target: { apiUrl: string } };
    expect(view.target.apiUrl).toBe(`${s.sandboxUrl('zoho')}/eu`);
    await api('PATCH', `/v1/connections/${id}`, { settings: { destination: { leadSourceValue: 'Chat' } } }, auth);
    expect((await api('POST', `/v1/connections/${id}/activate`, undefined, auth)).status).toBe(200);
    await api('PUT', '/v1/clients/eu-1', { firstName: 'Jan', lastName: 'de Vries', phones: ['+31 6 12345678'] }, auth);
    await s.app.syncWorker.runOnce();
    expect((await dump()).Leads!.filter((l) => l.Phone === '+31612345678').map((l) => l.Last_Name)).toEqual(['de Vries']);
    const [log] = (await api('GET', '/v1/sync-logs?clientId=eu-1', undefined, auth)).body.items as Log[];
    expect(log).toMatchObject({ operation: 'create_lead', status: 'success' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmId } from '../../src/domain/crm.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

type Row = Record<string, unknown>;

const message = (id: string, sentAt: string, text: string, extra: Record<string, unknown> = {}) => ({ id, direction: 'inbound', text, sentAt, ...extra });

describe.each(TEST_DIALECTS)('per-day chat notes, activation and group chats on %s', (dialect) => {
  let s: TestServer;
  const ids: Partial<Record<CrmId, string>> = {};
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, { method, headers: { ...s.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Row };
  };
  const dump = async (crm: CrmId) => ((await (await fetch(`${s.origin}/sandbox/__control/records?crm=${crm}`)).json()) as Record<string, Record<string, Row[]>>)[crm]!;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const hub = await s.account('hubspot');
    const sf = await s.account('salesforce');
    ids.hubspot = (await api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: hub.credentials.privateAppToken }, baseUrl: s.sandboxUrl('hubspot') })).body.id as string;
    ids.salesforce = (
      await api('POST', '/v1/connections', {
        crm: 'salesforce',
        auth: { method: 'service', clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, instanceUrl: s.sandboxUrl('salesforce') },
        baseUrl: s.sandboxUrl('salesforce'),
      })
    ).body.id as string;
    for (const id of Object.values(ids)) await api('PATCH', `/v1/connections/${id}`, { settings: { objects: { transcripts: true, notes: false } } });
    await api('PUT', '/v1/clients/c-1', { firstName: 'Ana', lastName: 'Ruiz', emails: ['ana@acme.io'], phones: ['+34 600 111 222'] });
  }, 60_000);
  afterAll(() => s.close());

  it('gathers a day of messages into one note titled with the name and date, grows it, and starts a new one the next day', async () => {
    await api('PUT', '/v1/conversations/wa-1', {
      clientIds: ['c-1'],
      channel: 'whatsapp',
      url: 'https://chat.example/wa-1',
      messages: [
        message('m1', '2026-11-20T09:00:00Z', 'Hola'),
        message('m2', '2026-11-20T09:05:00Z', 'Here is the quote', { direction: 'outbound', author: 'Seller', attachments: [{ name: 'quote.pdf', url: 'https://files.example/q.pdf' }] }),
      ],
    });
    await s.app.syncWorker.runOnce();
    let notes = (await dump('hubspot')).notes!;
    expect(notes).toHaveLength(1);
    expect(notes[0]!.hs_note_body).toContain('WhatsApp chat with Ana Ruiz (20/11/2026)');
    expect(String(notes[0]!.hs_note_body)).toContain('https://files.example/q.pdf');
    expect(String(notes[0]!.hs_note_body)).toContain('https://chat.example/wa-1');

    await api('POST', '/v1/conversations/wa-1/messages', message('m3', '2026-11-20T18:00:00Z', 'Thanks, later today'));
    for (const id of Object.values(ids)) await api('POST', `/v1/connections/${id}/sync`);
    await s.app.syncWorker.runOnce();
    notes = (await dump('hubspot')).notes!;
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.hs_note_body)).toContain('Thanks, later today');

    await api('POST', '/v1/conversations/wa-1/messages', message('m4', '2026-11-21T08:00:00Z', 'Good morning'));
    for (const id of Object.values(ids)) await api('POST', `/v1/connections/${id}/sync`);
    await s.app.syncWorker.runOnce();
    notes = (await dump('hubspot')).notes!;
    expect(notes.map((n) => String(n.hs_note_body).match(/\((\d\d\/\d\d\/\d{4})\)/)?.[1]).sort()).toEqual(['20/11/2026', '21/11/2026']);

    const tasks = ((await dump('salesforce')).Task ?? []).filter((t) => String(t.Subject).startsWith('WhatsApp chat with'));
    expect(tasks.map((t) => t.Subject).sort()).toEqual(['WhatsApp chat with Ana Ruiz (20/11/2026)', 'WhatsApp chat with Ana Ruiz (21/11/2026)']);
    expect(String(tasks.find((t) => String(t.Subject).includes('20/11'))!.Description)).toContain('Thanks, later today');
  });

  it('logs a group chat as skipped and writes nothing for it', async () => {
    await api('PUT', '/v1/conversations/group-1', { clientIds: ['c-1'], channel: 'whatsapp', isGroup: true, messages: [message('g1', '2026-11-20T10:00:00Z', 'hi all')] });
    await s.app.syncWorker.runOnce();
    const logs = (await api('GET', `/v1/sync-logs?connectionId=${ids.hubspot}&status=skipped`)).body.items as Row[];
    expect(logs.find((l) => l.entityId === 'group-1')).toMatchObject({ message: 'group chats are not synced' });
    expect(JSON.stringify(await dump('hubspot'))).not.toContain('hi all');
  });

  it('activates with a test record, then locks the settings until deactivated', async () => {
    const activated = await api('POST', `/v1/connections/${ids.hubspot}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ connection: { settings: { active: true } }, testRecord: { object: 'contacts' } });
    const locked = await api('PATCH', `/v1/connections/${ids.hubspot}`, { settings: { updateIntervalMinutes: 30 } });
    expect(locked.status).toBe(409);
    expect((locked.body.error as Row).message).toMatch(/deactivate it, edit, then activate again/);
    expect((await api('POST', `/v1/connections/${ids.hubspot}/deactivate`)).status).toBe(200);
    expect((await api('PATCH', `/v1/connections/${ids.hubspot}`, { settings: { updateIntervalMinutes: 30 } })).status).toBe(200);
  });
});

describe.each(TEST_DIALECTS)("the CRM's own properties, on %s", (dialect) => {
  it('lists HubSpot contact properties with picklist options, for field mappings', async () => {
    const s = await startTestServer(dialect);
    try {
      const hub = await s.account('hubspot');
      const headers = { ...s.auth, 'content-type': 'application/json' };
      const conn = (await (await fetch(`${s.origin}/v1/connections`, { method: 'POST', headers, body: JSON.stringify({ crm: 'hubspot', auth: { method: 'api_key', apiKey: hub.credentials.privateAppToken }, baseUrl: s.sandboxUrl('hubspot') }) })).json()) as { id: string };
      const res = await fetch(`${s.origin}/v1/connections/${conn.id}/properties`, { headers: s.auth });
      expect(res.status).toBe(200);
      const { properties } = (await res.json()) as { properties: { name: string; type: string; options?: string[] }[] };
      expect(properties.find((p) => p.name === 'lifecyclestage')).toMatchObject({ type: 'picklist', options: expect.arrayContaining(['lead', 'customer']) });
      expect(properties.find((p) => p.name === 'email')?.type).toBe('string');
    } finally {
      await s.close();
    }
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/workspaces/users.js';
import { TEST_DIALECTS } from '../support/stores.js';
import { screenshot } from './browser.js';
import { signIn, startUi, type UiSession } from './support.js';

// The audit log page (issue 13 item 17) in Chromium against the whole product.
describe.each(TEST_DIALECTS)('Audit log page in a browser (%s)', { timeout: 60_000 }, (dialect) => {
  let ui: UiSession;
  let page: Page;
  let member: { email: string; password: string };
  let connectionId: string;
  const rows = () => page.locator('table.logs tbody tr');
  const column = (n: number) => rows().evaluateAll((trs, i) => trs.map((tr) => tr.querySelectorAll('td')[i]?.textContent ?? ''), n);

  beforeAll(async () => {
    ui = await startUi(dialect);
    page = ui.page;
    const s = ui.s;
    member = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@audit-ui.test', role: 'member' });
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    const c = await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') });
    connectionId = c.body.id as string;
    await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { updateIntervalMinutes: 45 } });
    // More entries than a page holds (25).
    for (let i = 0; i < 25; i++) expect((await s.api('POST', '/v1/api-keys', { name: `Feed ${i}`, scopes: ['ingest'] })).status).toBe(201);
  }, 60_000);
  afterAll(() => ui?.close());

  it('lists who changed what, newest first, with readable actors', async () => {
    await signIn(page, ui.s.origin, ui.s.workspace.adminEmail, ui.s.workspace.adminPassword);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await rows().first().waitFor();
    expect(await rows().count()).toBe(25);
    expect((await column(2))[0]).toBe('api_key.created');
    expect((await column(1))[0]).toBe('API key “default”');
    expect((await column(4))[0]).toContain('name: Feed 24');
    await screenshot(page, 'audit-log');
  });

  it('pages to older entries and back', async () => {
    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(async () => (await column(2)).at(-1)).toBe('workspace.created');
    expect(await column(2)).toContain('connection.connected');
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await page.getByText('Page 1').waitFor();
    await expect.poll(async () => (await column(4))[0]).toContain('Feed 24');
  });

  it('filters by connection and action, and by who', async () => {
    await page.getByLabel('Connection').selectOption(connectionId);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/audit-log\?connectionId=/);
    await expect.poll(() => column(2)).toEqual(['connection.settings_changed', 'connection.connected']);
    expect((await column(3))[0]).toContain('HubSpot');
    expect((await column(4))[0]).toContain('updateIntervalMinutes');

    await page.getByLabel('Action').selectOption('connection.connected');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => column(2)).toEqual(['connection.connected']);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/audit-log$/);
    await page.getByLabel('Who').fill('system');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => column(2)).toEqual(['user.added', 'workspace.created']);

    await page.getByLabel('Who').fill(ui.s.workspace.adminEmail);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No audit entries match.', { exact: false }).waitFor();
  });

  it('is not offered to a member, and says why when opened', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, ui.s.origin, member.email, member.password);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto(`${ui.s.origin}/audit-log`);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.notice, [role="alert"]').first().textContent()).toMatch(/owner or a Settings Admin/);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/workspaces/users.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureUiBuilt, launchChromium, screenshot } from './browser.js';
import { signIn as signInAt } from './support.js';

// The admin UI in Debian's Chromium against the whole product on a loopback port, with the
// sandbox CRMs. On SQLite only: the UI talks to the HTTP API, which is tested on both databases.
describe('admin UI in a browser (sqlite)', { timeout: 60_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let member: { email: string; password: string };
  const hubspotCard = () => page.locator('li[data-crm="hubspot"]');
  const pipedriveCard = () => page.locator('li[data-crm="pipedrive"]');

  beforeAll(async () => {
    ensureUiBuilt();
    s = await startTestServer('sqlite');
    s.app.syncWorker.start();
    member = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@ui.test', role: 'member' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    // A step that cannot happen fails with what it waited for, well before the test's own timeout.
    context.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await s?.app.syncWorker.stop();
    await s?.close();
  });

  const signIn = (p: Page, email: string, password: string) => signInAt(p, s.origin, email, password);

  it('signs in with the owner’s e-mail and password, after refusing a wrong one', async () => {
    await page.goto(`${s.origin}/`);
    await page.getByLabel('E-mail').fill(s.workspace.adminEmail);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The e-mail or the password is wrong');
    await screenshot(page, 'sign-in');
    await signIn(page, s.workspace.adminEmail, s.workspace.adminPassword);
    expect(await page.locator('li.crm-card').count()).toBe(7);
    expect(await page.locator('li.crm-card .badge').allTextContents()).toEqual(Array(7).fill('Not connected'));
  });

  it('connects sandbox HubSpot through its OAuth consent page', async () => {
    await hubspotCard().getByRole('button', { name: /Connect with OAuth/ }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/\/connections\?crm=hubspot&status=connected/);
    await hubspotCard().locator('.badge', { hasText: 'Connected' }).waitFor();
    expect(await page.getByRole('status').first().textContent()).toBe('HubSpot is connected.');
  });

  it('connects Pipedrive through its API-key form, showing a refused token beside the field', async () => {
    await pipedriveCard().getByRole('button', { name: 'Connect with API key' }).click();
    const token = pipedriveCard().getByLabel('Personal API token');
    await token.fill('not-a-token');
    await pipedriveCard().getByRole('button', { name: 'Connect', exact: true }).click();
    const error = pipedriveCard().locator('.field.has-error .error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Pipedrive refused the credentials');
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    const account = await s.account('pipedrive');
    await token.fill(account.credentials.apiToken!);
    await pipedriveCard().getByRole('button', { name: 'Connect', exact: true }).click();
    await pipedriveCard().locator('.badge', { hasText: 'Connected' }).waitFor();
    expect(await hubspotCard().locator('.badge').textContent()).toBe('Connected');
    await screenshot(page, 'connections');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'connections-390px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('changes settings, with a validation error shown beside the interval', async () => {
    await hubspotCard().getByRole('link', { name: /Configure/ }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const interval = page.getByLabel('Update interval (minutes)');
    await interval.fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const fieldError = page.locator('.field.has-error', { has: interval }).locator('.error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('must be at least 5 minutes');
    await screenshot(page, 'settings-error');
    await interval.fill('30');
    await page.getByLabel('Messages as transcripts').check();
    await page.getByLabel('Segments').fill('smb, partner');
    await page.getByRole('button', { name: 'Add a mapping' }).click();
    await page.getByLabel('Source').fill('properties.leadScore');
    await page.getByLabel('CRM property').fill('hs_lead_score');
    await page.getByLabel('Type').selectOption('number');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const saved = (await (await fetch(`${s.origin}/v1/connections/${id}`, { headers: s.auth })).json()) as { settings: Record<string, unknown> };
    expect(saved.settings).toMatchObject({
      updateIntervalMinutes: 30,
      segments: ['smb', 'partner'],
      objects: { transcripts: true },
      fieldMappings: [{ source: 'properties.leadScore', target: 'hs_lead_score', type: 'number' }],
    });
    // Back to every client, so the next test's client is sent.
    await page.getByLabel('Segments').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await screenshot(page, 'configuration');
  });

  it('shows a client ingested through the API as a success in Sync Logs, with its detail', async () => {
    const put = await fetch(`${s.origin}/v1/clients/ui-client-1`, {
      method: 'PUT',
      headers: { ...s.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Ada', lastName: 'Browser', emails: ['ada.browser@example.com'] }),
    });
    expect(put.status).toBe(201);
    await page.getByRole('link', { name: 'Sync logs' }).click();
    await page.getByLabel('Client id').fill('ui-client-1');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/clientId=ui-client-1/);
    const success = page.locator('table.logs tbody tr', { hasText: 'HubSpot' }).filter({ has: page.locator('.pill-success') });
    for (let i = 0; i < 50 && (await success.count()) === 0; i++) {
      await page.waitForTimeout(200);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    expect(await success.count(), await page.locator('main').innerText()).toBeGreaterThan(0);
    const rows = await page.locator('table.logs tbody tr td:nth-child(4)').allTextContents();
    expect(new Set(rows)).toEqual(new Set(['ui-client-1']));
    await success.first().getByRole('button', { name: /Details/ }).click();
    const detail = page.getByRole('region', { name: /success/ });
    await detail.waitFor();
    expect(await detail.locator('dd').nth(3).textContent()).toBe('ui-client-1');
    await screenshot(page, 'sync-logs');
  });

  it('runs Sync Now and Test Connection, with their results shown', async () => {
    await page.getByRole('link', { name: 'CRM connections', exact: true }).click();
    await hubspotCard().getByRole('link', { name: /Configure/ }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.locator('.notice-ok').first().textContent()).toMatch(/^(Sync started: \d+ items? on the way to HubSpot\.|Nothing was waiting: everything is already in step\.) See its sync logs$/);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('.notice-ok').first().textContent()).toMatch(/^Connection works: HubSpot answered/);
  });

  it('disconnects Pipedrive after a confirmation', async () => {
    await page.getByRole('link', { name: 'CRM connections', exact: true }).click();
    await pipedriveCard().getByRole('link', { name: /Configure/ }).click();
    await page.getByRole('button', { name: 'Disconnect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect Pipedrive?' });
    await dialog.waitFor();
    await screenshot(page, 'disconnect-confirmation');
    await dialog.getByRole('button', { name: 'Disconnect Pipedrive' }).click();
    await page.waitForURL(/\/connections\?crm=pipedrive&status=disconnected/);
    await pipedriveCard().locator('.badge', { hasText: 'Not connected' }).waitFor();
    expect(await hubspotCard().locator('.badge').textContent()).toBe('Connected');
  });

  it('shows a member the connections read-only, with no way to connect', async () => {
    const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await other.newPage();
    await signIn(p, member.email, member.password);
    expect(await p.getByText('ask one of them', { exact: false }).count()).toBe(1);
    expect(await p.getByRole('button', { name: /Connect with OAuth/ }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /Connect with/ }).count()).toBe(0);
    expect(await p.locator('li[data-crm="hubspot"] .badge').textContent()).toBe('Connected');
    // Keyboard: the page takes focus after a route change; Tab reaches the first control, visibly.
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => [document.activeElement?.textContent, getComputedStyle(document.activeElement!).outlineStyle])).toEqual(['View settings HubSpot', 'solid']);
    await screenshot(p, 'connections-member-390px');
    await other.close();
  });
});

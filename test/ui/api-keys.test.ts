import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/auth/api-keys.js';
import { addUser } from '../../src/workspaces/users.js';
import { screenshot } from './browser.js';
import { signIn, startUi, type UiSession } from './support.js';

// The API keys page (PRODUCT.md K9) in Chromium against the whole product, on SQLite.
describe('API keys page in a browser (sqlite)', { timeout: 60_000 }, () => {
  let ui: UiSession;
  let page: Page;
  let member: { email: string; password: string };
  const origin = () => ui.s.origin;
  const ingest = (key: string) =>
    fetch(`${origin()}/v1/clients/ui-key-client`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ emails: ['key@example.com'] }) });
  const row = (id: string) => page.locator(`tr[data-key-id="${id}"]`);
  const shownKey = async () => {
    const value = await page.getByLabel('New API key').inputValue();
    expect(value).toMatch(/^csk_/);
    return { key: value, id: parseApiKey(value)!.id };
  };

  beforeAll(async () => {
    ui = await startUi();
    page = ui.page;
    member = await addUser(ui.s.t.store, { workspaceId: ui.s.workspace.workspaceId, email: 'member@keys-ui.test', role: 'member' });
  }, 60_000);
  afterAll(() => ui?.close());

  it('lists the workspace’s first key', async () => {
    await signIn(page, origin(), ui.s.workspace.adminEmail, ui.s.workspace.adminPassword);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    const first = row(parseApiKey(ui.s.workspace.apiKey)!.id);
    expect(await first.locator('th').textContent()).toBe('default');
    expect(await first.locator('td').nth(1).textContent()).toBe('ingest, admin');
    expect(await first.locator('.pill').textContent()).toBe('Active');
    expect(await first.locator('td').nth(2).textContent()).toContain('with the workspace');
  });

  it('shows the server’s validation messages beside the name and the scopes', async () => {
    await page.getByRole('button', { name: 'Create key' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field.has-error .error').textContent()).toBe('must not be empty');
    await name.fill('Platform feed');
    await page.getByLabel('Ingest').uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.locator('#scopes-error').textContent()).toContain('at least one scope');
  });

  it('creates an ingest key and shows it once, with a copy button; the key ingests and is refused admin routes', async () => {
    await page.getByLabel('Ingest').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Platform feed is created' }).waitFor();
    expect(await page.getByText('Copy the key now: it is not shown again.').count()).toBe(1);
    const { key, id } = await shownKey();
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.locator('.new-key [role="status"]').textContent()).toMatch(/Copied to the clipboard\.|Press Ctrl\+C/);
    await screenshot(page, 'api-key-created');
    expect((await ingest(key)).status).toBe(201);
    expect((await fetch(`${origin()}/v1/connections`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    expect(await row(id).locator('td').nth(1).textContent()).toBe('ingest');
    expect(await row(id).locator('td').nth(2).textContent()).toContain('by you');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByLabel('New API key').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain(key);
  });

  it('rotates a key after a confirmation: the new key is shown once, the old one stops at once', async () => {
    const { key: oldKey, id: oldId } = await (async () => {
      await page.getByLabel('Name', { exact: true }).fill('Rotating feed');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('heading', { name: 'Rotating feed is created' }).waitFor();
      return shownKey();
    })();
    await row(oldId).getByRole('button', { name: 'Rotate Rotating feed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate Rotating feed?' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('The old key stops').inputValue()).toBe('0');
    await screenshot(page, 'api-key-rotate-confirmation');
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('heading', { name: 'New key for Rotating feed' }).waitFor();
    const { key: newKey, id: newId } = await shownKey();
    expect(newId).not.toBe(oldId);
    expect((await ingest(oldKey)).status).toBe(401);
    expect((await ingest(newKey)).status).toBeLessThan(300);
    await expect.poll(() => row(oldId).locator('.pill').textContent()).toMatch(/^Revoked /);
    expect(await row(oldId).getByRole('button').count()).toBe(0);
    expect(await row(newId).locator('.pill').textContent()).toBe('Active');
  });

  it('revokes a key after a confirmation, and the key stops at once', async () => {
    const { key, id } = await shownKey();
    await row(id).getByRole('button', { name: 'Revoke Rotating feed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke Rotating feed?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await ingest(key)).status).toBeLessThan(300);
    await row(id).getByRole('button', { name: 'Revoke Rotating feed' }).click();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('Rotating feed is revoked: requests with it are refused.').waitFor();
    expect(await page.getByLabel('New API key').count()).toBe(0);
    await expect.poll(() => row(id).locator('.pill').textContent()).toMatch(/^Revoked /);
    expect((await ingest(key)).status).toBe(401);
    await screenshot(page, 'api-keys');
  });

  it('shows a member the keys read-only', async () => {
    const other = await ui.browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await other.newPage();
    await signIn(p, origin(), member.email, member.password);
    await p.goto(`${origin()}/api-keys`);
    await p.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await p.getByText('only the workspace owner or a Settings Admin can create, rotate or revoke API keys', { exact: false }).waitFor();
    expect(await p.locator('table.logs tbody tr').count()).toBe(4);
    expect(await p.getByRole('button', { name: /Create key|Rotate|Revoke/ }).count()).toBe(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'api-keys-member-390px');
    await other.close();
  });
});

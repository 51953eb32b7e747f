import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithOAuth, signIn, startUi, type UiSession } from './support.js';

// The admin UI and the sandbox's consent page under their Content-Security-Policy, in Chromium:
// nothing the pages use may be blocked (a blocked stylesheet would not fail the other UI tests).
describe('the admin UI under its Content-Security-Policy (sqlite)', { timeout: 60_000 }, () => {
  let ui: UiSession;
  const violations: string[] = [];
  beforeAll(async () => {
    ui = await startUi();
    // Chromium reports each blocked load or inline use on the console.
    ui.page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(m.text());
    });
    await ui.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 60_000);
  afterAll(async () => ui?.close());

  it('signs in, connects a CRM through the consent page and shows styled pages with nothing blocked', async () => {
    const { page, s } = ui;
    const response = await page.goto(`${s.origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signIn(page, s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
    // The stylesheet applied: the page background comes from ui/src/styles.css (--bg).
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(245, 247, 249)');

    const card = page.locator('li[data-crm="hubspot"]');
    await card.getByRole('button', { name: /Connect with OAuth/ }).click();
    const approve = page.getByRole('button', { name: 'Approve' });
    await approve.waitFor();
    // The consent page's inline <style> applied under the sandbox's policy.
    expect(await approve.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(31, 111, 235)');
    await page.goBack();
    await connectWithOAuth(page, 'hubspot');
    expect(violations).toEqual([]);
  });
});

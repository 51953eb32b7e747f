import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { signIn, startUi, type UiSession } from './support.js';

// "Connect with OAuth" is a button that POSTs the start with the session's CSRF token: a
// refusal stays on the page, beside the option it is about; nothing is started by a link.
describe('Connect with OAuth in a browser (sqlite)', { timeout: 60_000 }, () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUi();
    await signIn(ui.page, ui.s.origin, ui.s.workspace.adminEmail, ui.s.workspace.adminPassword);
  }, 60_000);
  afterAll(() => ui?.close());

  it('shows the server refusing a Zoho data centre beside that option, and starts nothing', async () => {
    const { page, s } = ui;
    const card = page.locator('li[data-crm="zoho"]');
    expect(await card.getByRole('link', { name: /Connect with OAuth/ }).count()).toBe(0);
    await card.getByText('OAuth options').click();
    await card.getByLabel('Data centre (optional)').fill('mars');
    await card.getByRole('button', { name: /Connect with OAuth/ }).click();
    const error = card.locator('.field.has-error .error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Zoho CRM has no data centre "mars"/);
    expect(new URL(page.url()).pathname).toBe('/connections');
    expect(await s.t.store.db.selectFrom('oauth_states').selectAll().execute()).toEqual([]);
    await screenshot(page, 'oauth-option-refused');
  });
});

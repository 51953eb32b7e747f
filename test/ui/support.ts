import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import type { TestDialect } from '../support/stores.js';
import { ensureUiBuilt, launchChromium } from './browser.js';

/** Signs in on the sign-in page and waits for the connections page. */
export async function signIn(p: Page, origin: string, email: string, password: string): Promise<void> {
  await p.goto(`${origin}/`);
  await p.getByLabel('E-mail').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: 'CRM connections' }).waitFor();
}

export interface UiSession {
  s: TestServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** The whole product with the sandbox CRMs on SQLite (or `dialect`), and Chromium on a 1280 px page. */
export async function startUi(dialect: TestDialect = 'sqlite'): Promise<UiSession> {
  ensureUiBuilt();
  const s = await startTestServer(dialect);
  s.app.syncWorker.start();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // A step that cannot happen fails with what it waited for, well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return {
    s,
    browser,
    context,
    page,
    close: async () => {
      await browser.close();
      await s.app.syncWorker.stop();
      await s.close();
    },
  };
}

/** Connects a sandbox CRM through its OAuth consent page, from its card. */
export async function connectWithOAuth(page: Page, crm: string): Promise<void> {
  const card = page.locator(`li[data-crm="${crm}"]`);
  await card.getByRole('button', { name: /Connect with OAuth/ }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(new RegExp(`/connections\\?crm=${crm}&status=connected`));
  await card.locator('.badge', { hasText: 'Connected' }).waitFor();
}

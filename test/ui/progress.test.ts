import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { signIn, startUi, type UiSession } from './support.js';

const CLIENTS = 500;

// The progress bar on a connection's page, in Chromium against the whole product with the sandbox
// (SQLite only: the API itself is tested on both databases in test/connections/progress.test.ts).
describe('sync progress on the connection page (sqlite)', { timeout: 90_000 }, () => {
  let ui: UiSession;
  let page: Page;
  let connectionId: string;

  beforeAll(async () => {
    ui = await startUi();
    page = ui.page;
    const { s } = ui;
    const token = (await s.account('hubspot')).credentials.privateAppToken!;
    connectionId = (await s.api('POST', '/v1/connections', { crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') })).body.id as string;
    // Held back (turned off) while the page opens, then every HubSpot call takes a second: the backfill lasts long enough to watch.
    await s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { enabled: false } });
    await fetch(`${s.origin}/sandbox/__control/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ crm: 'hubspot', latencyMs: 1000 }) });
    const clients = Array.from({ length: CLIENTS }, (_, i) => ({ id: `ui-${i}`, firstName: `Client ${i}`, emails: [`client${i}@progress.io`] }));
    expect((await s.api('POST', '/v1/batch', { clients })).status).toBe(200);
    // Sync Now reads the new clients into the connection's items (the worker skips a connection turned off).
    expect((await s.api('POST', `/v1/connections/${connectionId}/sync`)).status).toBe(202);
    await signIn(page, s.origin, s.workspace.adminEmail, s.workspace.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('shows a bar that advances while the backfill runs, then stops asking once nothing is pending', async () => {
    await page.goto(`${ui.s.origin}/connections/${connectionId}`);
    const bar = page.getByRole('progressbar', { name: 'Sync progress' });
    await bar.waitFor();
    const summary = page.getByTestId('progress-summary');
    await expect.poll(() => summary.textContent()).toBe(`0 of ${CLIENTS} synced, 0 failed`);
    expect(await page.getByRole('region', { name: 'Sync progress' }).textContent()).toMatch(/Syncing is turned off for this connection/);
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(CLIENTS));

    // Watch the bar while the worker syncs.
    const seen = new Set<number>();
    const texts: string[] = [];
    let shot = false;
    await ui.s.api('PATCH', `/v1/connections/${connectionId}`, { settings: { enabled: true } });
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const value = Number(await bar.getAttribute('aria-valuenow'));
      seen.add(value);
      texts.push((await summary.textContent()) ?? '');
      if (value === CLIENTS) break;
      if (value > 0 && !shot) {
        shot = true;
        await screenshot(page, 'connection-progress-running');
      }
      await page.waitForTimeout(100);
    }
    const mid = [...seen].filter((v) => v > 0 && v < CLIENTS);
    expect(mid.length, `values seen: ${[...seen].join(', ')}`).toBeGreaterThan(0);
    expect(texts.find((t) => /^\d+ of 500 synced, 0 failed, [\d.,]+\/s, about .+ left$/.test(t)), texts.join('\n')).toBeDefined();
    await expect.poll(() => summary.textContent()).toMatch(new RegExp(`^${CLIENTS} of ${CLIENTS} synced, 0 failed`));

    // Nothing pending: the page stops polling.
    await page.waitForTimeout(500);
    await screenshot(page, 'connection-progress-done');
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().endsWith(`/v1/connections/${connectionId}/progress`)) asked++;
    });
    await page.waitForTimeout(4_500);
    expect(asked).toBe(0);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.js';
import { until } from '../support/until.js';
import { ensureUiBuilt, launchChromium, screenshot } from './browser.js';
import { connectWithOAuth, signIn } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The demo as a newcomer meets it: `crm-sync serve` on an empty data directory with nothing
// configured, its printed sign-in followed to the letter. The OAuth redirect must come back to
// the origin the admin signed in at, or the session cookie stays behind and they land signed out.
describe('the demo from its printed URL, through OAuth and back', { timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-demo-ui-'));
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    ensureUiBuilt();
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), CRM_SYNC_DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: '', PUBLIC_URL: '', HOST: '', DATABASE_URL: '', CRM_SYNC_SECRET_KEY: '', CRM_SYNC_DEMO: '', CRM_SYNC_SANDBOX: '' };
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await until('the demo banner', async () => (/Password: +\S+/.test(output) ? true : undefined), 60_000);
  }, 90_000);

  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in at the printed URL, connects HubSpot on the sandbox consent page and lands back signed in, Connected', async () => {
    const printed = /Admin UI: +(\S+)/.exec(output)?.[1];
    const email = /E-mail: +(\S+)/.exec(output)![1]!;
    const password = /Password: +(\S+)/.exec(output)![1]!;
    expect(printed).toMatch(/^http:\/\//);
    const origin = new URL(printed!).origin;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await signIn(page, origin, email, password);
      await connectWithOAuth(page, 'hubspot');
      expect(new URL(page.url()).origin).toBe(origin);
      await page.getByRole('heading', { name: 'CRM connections' }).waitFor();
      await screenshot(page, 'demo-oauth-back-signed-in');
    } finally {
      await browser.close();
    }
  });
});

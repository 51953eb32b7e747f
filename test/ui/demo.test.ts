import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiKey, secretMatches } from '../../src/auth/api-keys.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { DEMO_WORKSPACE, feedDemo, startDemo } from '../../src/demo/demo.js';
import { createLogger } from '../../src/logging.js';
import { createWorkspace } from '../../src/workspaces/create.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

describe.each(TEST_DIALECTS)('the demo (%s)', (dialect) => {
  let t: TestStore;
  const logger = createLogger('silent');
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const start = async () => {
    const printed: string[] = [];
    const demo = await startDemo({ store: t.store, url: 'http://127.0.0.1:3000', enabled: true, trickle: false, wake: () => undefined, logger, print: (s) => void printed.push(s) });
    demo.stop();
    return printed.join('');
  };

  it('creates a workspace on an empty store and prints its sign-in and API key once, storing only hashes', async () => {
    const out = await start();
    const email = /E-mail: +(\S+)/.exec(out)?.[1];
    const password = /Password: +(\S+)/.exec(out)?.[1];
    const apiKey = /API key: +(\S+)/.exec(out)?.[1];
    expect(out).toContain('Admin UI:  http://127.0.0.1:3000/');
    expect(email).toBe('admin@demo.crm-sync.local');
    const user = await t.store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user.password_hash).not.toContain(password!);
    expect(await verifyPassword(password!, user.password_hash)).toBe(true);
    const parsed = parseApiKey(apiKey!)!;
    const key = await t.store.db.selectFrom('api_keys').selectAll().where('id', '=', parsed.id).executeTakeFirstOrThrow();
    expect(key.secret_hash).not.toContain(parsed.secret);
    expect(secretMatches(parsed.secret, key.secret_hash)).toBe(true);

    expect(await start()).toBe('');
    expect((await t.store.db.selectFrom('workspaces').select('name').execute()).map((w) => w.name)).toEqual([DEMO_WORKSPACE]);
  });

  it('creates nothing on a store that already has a workspace', async () => {
    await createWorkspace(t.store, { name: 'Acme' });
    expect(await start()).toBe('');
    expect((await t.store.db.selectFrom('workspaces').select('name').execute()).map((w) => w.name)).toEqual(['Acme']);
  });

  it('feeds clients and then WhatsApp, e-mail and call conversations with them, through ingest (outbox rows included)', async () => {
    await start();
    const ws = await t.store.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 6; i++) await feedDemo(t.store, ws.id, 'ES');
    const clients = await t.store.db.selectFrom('clients').select('id').orderBy('id').execute();
    expect(clients.map((c) => c.id)).toEqual(['demo-client-1', 'demo-client-2', 'demo-client-3']);
    const conversations = await t.store.db.selectFrom('conversations').select(['id', 'body']).orderBy('id').execute();
    const bodies = conversations.map((c) => (typeof c.body === 'string' ? JSON.parse(c.body) : c.body) as { channel: string; participants: { kind: string; value: string }[] });
    expect(bodies.map((b) => [b.channel, b.participants])).toEqual([
      ['whatsapp', [{ kind: 'client', value: 'demo-client-1' }]],
      ['email', [{ kind: 'client', value: 'demo-client-2' }]],
      ['call', [{ kind: 'client', value: 'demo-client-3' }]],
    ]);
    const outbox = await t.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(outbox.n)).toBeGreaterThanOrEqual(6);
  });
});

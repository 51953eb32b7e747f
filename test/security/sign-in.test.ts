import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type NewWorkspace } from '../../src/workspaces/create.js';
import { buildTestApp } from '../support/app.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from '../support/stores.js';

// scrypt takes 0.1-1 s per check on a busy two-core host: the tests that check many passwords get minutes.
describe.each(TEST_DIALECTS)('sign-in throttling (%s)', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  let ws: NewWorkspace;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    ({ app, workspace: ws } = await buildTestApp(t.store));
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  let ip = 0;
  /** Each call from its own address unless one is given, so only the account's counter is shared. */
  const signIn = (email: string, password: string, remoteAddress = `10.1.${Math.floor(++ip / 250)}.${ip % 250}`) =>
    app.inject({ method: 'POST', url: '/v1/session', remoteAddress, payload: { email, password } });

  it('locks an account after ten wrong passwords: 300 wrong, then the right one is refused with 429 and Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 300; i++) codes.push((await signIn(ws.adminEmail, `wrong ${i}`)).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(new Set(codes.slice(10))).toEqual(new Set([429]));
    const right = await signIn(ws.adminEmail, ws.adminPassword);
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(right.headers['set-cookie']).toBeUndefined();
  }, 120_000);

  it('holds the lock in the database, so another process refuses too; it ends after the lock time', async () => {
    const { app: second } = await buildTestApp(t.store);
    try {
      const res = await second.inject({ method: 'POST', url: '/v1/session', remoteAddress: '10.9.9.9', payload: { email: ws.adminEmail, password: ws.adminPassword } });
      expect(res.statusCode).toBe(429);
    } finally {
      await second.close();
    }
    // Time passes (the lock's end moved into the past): the right password works again.
    await t.store.db.updateTable('sign_in_attempts').set({ locked_until: Date.now() - 1, window_started_at: Date.now() - 16 * 60_000 }).execute();
    expect((await signIn(ws.adminEmail, ws.adminPassword)).statusCode).toBe(200);
  });

  it('a success resets the account counter, so a typo now and then never locks anyone out', async () => {
    const other = await createWorkspace(t.store, { name: 'Typos', defaultCountry: 'ES' });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await signIn(other.adminEmail, 'typo')).statusCode).toBe(401);
      expect((await signIn(other.adminEmail, other.adminPassword)).statusCode).toBe(200);
    }
  }, 120_000);

  it('throttles one client address that tries many accounts', async () => {
    const from = '192.0.2.77';
    const codes: number[] = [];
    for (let i = 0; i < 52; i++) codes.push((await signIn(`nobody-${i}@example.com`, 'guess', from)).statusCode);
    expect(codes.slice(0, 50)).toEqual(Array(50).fill(401));
    expect(codes.slice(50)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await signIn('nobody-else@example.com', 'guess', '192.0.2.78')).statusCode).toBe(401);
  }, 180_000);

  it('takes as long for an unknown e-mail as for a known one with a wrong password (a hash is verified either way)', async () => {
    const known = await createWorkspace(t.store, { name: 'Timing', defaultCountry: 'ES' });
    const time = async (email: string) => {
      const started = performance.now();
      const res = await signIn(email, 'not the password');
      expect(res.statusCode).toBe(401);
      return performance.now() - started;
    };
    await time('warm-up@example.com');
    let knownMs = 0;
    let unknownMs = 0;
    for (let i = 0; i < 5; i++) {
      knownMs += await time(known.adminEmail);
      unknownMs += await time(`unknown-${i}@example.com`);
    }
    const ratio = Math.max(knownMs, unknownMs) / Math.min(knownMs, unknownMs);
    console.log(`sign-in timing (${dialect}): known ${(knownMs / 5).toFixed(1)} ms, unknown ${(unknownMs / 5).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeLessThan(3);
  }, 120_000);
});

import { createHash } from 'node:crypto';
import { clearFailures, countFailure, forgetOldFailures, lockedUntil } from '../store/sign-in-attempts.js';
import type { Store } from '../store/store.js';

const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;
/** Wrong passwords for one account within the window before it is locked for LOCK_MS. */
export const ACCOUNT_LIMIT = 10;
/**
 * Failures from one client address (any accounts) within the window. Higher than an account's,
 * as several people may share an address (an office, a reverse proxy in front of crm-sync).
 */
export const ADDRESS_LIMIT = 50;

const hash = (v: string) => createHash('sha256').update(v).digest('base64url');

/**
 * Sign-in throttling, per account and per client address, counted in the database so that it
 * holds across processes. A locked key refuses even the right password until the lock ends,
 * so guessing is capped at ACCOUNT_LIMIT tries per account every LOCK_MS.
 */
export class SignInThrottle {
  constructor(private readonly store: Store) {}

  private keys(email: string, address: string) {
    return { account: `account:${hash(email)}`, address: `ip:${hash(address)}` };
  }

  /** Milliseconds until this e-mail may try again from this address; 0 when it may now. */
  async waitMs(email: string, address: string, now = Date.now()): Promise<number> {
    const k = this.keys(email, address);
    const until = await lockedUntil(this.store.db, [k.account, k.address], now);
    return until === undefined ? 0 : until - now;
  }

  async failed(email: string, address: string, now = Date.now()): Promise<void> {
    const k = this.keys(email, address);
    await this.store.write(async (tx) => {
      await forgetOldFailures(tx, now, Math.max(WINDOW_MS, LOCK_MS));
      await countFailure(tx, { key: k.account, now, windowMs: WINDOW_MS, limit: ACCOUNT_LIMIT, lockMs: LOCK_MS });
      await countFailure(tx, { key: k.address, now, windowMs: WINDOW_MS, limit: ADDRESS_LIMIT, lockMs: LOCK_MS });
    });
  }

  /** A success clears the account's count (not the address's: one good account must not reset a spray). */
  async succeeded(email: string, address: string): Promise<void> {
    await clearFailures(this.store.db, this.keys(email, address).account);
  }
}

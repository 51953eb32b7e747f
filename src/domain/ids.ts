import { randomBytes } from 'node:crypto';

/** Our own ids: a prefix that says what it is, then 16 random bytes in base32-ish hex. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

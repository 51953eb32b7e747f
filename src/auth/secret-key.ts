import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKey, type Config } from '../config/index.js';

export const SECRET_KEY_FILE = 'secret.key';

export interface Keyring {
  current: Buffer;
  /** Keys that may still have sealed some values, until a rotation has re-sealed them. */
  previous: Buffer[];
  /** Where the keys live: the environment, or the key file in the data dir. */
  source: 'environment' | 'file';
}

/**
 * The keys that encrypt credentials at rest. From CRM_SYNC_SECRET_KEY (and
 * CRM_SYNC_PREVIOUS_SECRET_KEYS) when set: required with PostgreSQL, where many hosts must
 * share them. In the embedded default, from `secret.key` in the data dir, generated once with
 * mode 0600: its first line is the current key, further lines are previous keys.
 */
export function loadKeyring(config: Pick<Config, 'secretKey' | 'previousSecretKeys' | 'dataDir'>): Keyring {
  if (config.secretKey) return { current: config.secretKey, previous: [...config.previousSecretKeys], source: 'environment' };
  const path = keyFile(config.dataDir);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both write one.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(path, 0o600);
  const keys = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const key = decodeKey(line);
      if (!key) throw new Error(`${path} line ${i + 1} is not a 256-bit key (64 hex characters); remove it only if no credentials were sealed with it`);
      return key;
    });
  if (!keys[0]) throw new Error(`${path} is empty; remove it only if no credentials were sealed with it`);
  return { current: keys[0], previous: keys.slice(1), source: 'file' };
}

/** Writes the key file atomically (a crash leaves the old file or the new, never half of one). */
export function writeKeyFile(dataDir: string, keys: Buffer[]): void {
  const path = keyFile(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, keys.map((k) => `${k.toString('hex')}\n`).join(''), { mode: 0o600 });
  renameSync(tmp, path);
}

function keyFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return join(dataDir, SECRET_KEY_FILE);
}
